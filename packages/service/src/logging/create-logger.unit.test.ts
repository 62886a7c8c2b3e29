import { describe, expect, it } from 'vitest';
import { createServiceLogger } from './create-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('createServiceLogger', () => {
  it('given a service name and level, then every line carries the name and lower levels are dropped', () => {
    const { lines, stream } = capture();
    const logger = createServiceLogger({ name: 'ingestor', level: 'info', destination: stream });
    logger.debug('not shown');
    logger.child({ taskId: 't-1' }).info('shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: 'ingestor', taskId: 't-1', msg: 'shown' });
  });

  it('given a config with passwords where services keep them, then none reaches a line', () => {
    const { lines, stream } = capture();
    const logger = createServiceLogger({ name: 'web', destination: stream });
    logger.info(
      {
        password: 'p1',
        nats: { servers: 'nats://x', user: 'web', pass: 'p2' },
        config: { natsPassword: 'p3', NATS_PASSWORD: 'p4' },
        NATS_PASSWORD: 'p5',
      },
      'config',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5']) expect(text).not.toContain(`"${secret}"`);
    expect(lines[0]).toMatchObject({ password: '[redacted]', nats: { user: 'web', pass: '[redacted]' } });
  });
});
