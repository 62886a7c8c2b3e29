import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from '@symbology/service/instance-state';

export type LauncherOptions = {
  dataDir: string;
  edgarMirror: string | undefined;
  ports: {
    web: number;
    ingestor: number;
    projector: number;
    nats: number;
    natsMonitor: number;
    mirror: number;
    postgres: number;
  };
};

export const USAGE = `usage: npm start -- [options]
  --edgar-mirror <dir>   serve recorded EDGAR responses from <dir> (e.g. ../shared/edgar) and the repo fixtures, and point the ingestor at them
  --data-dir <dir>       where the state file, NATS and the embedded Postgres keep their data (default .data)
  --port <n>             the web app's port (default 3000)
  --help`;

/** Ports default to the documented ones; SYMBOLOGY_*_PORT moves them (the launcher's own tests do). */
export function parseLauncherOptions(argv: string[], env = process.env): LauncherOptions | 'help' {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      'edgar-mirror': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const port = (name: string, fallback: number, raw = env[`SYMBOLOGY_${name}_PORT`]) => {
    const n = raw ? Number(raw) : fallback;
    if (!Number.isInteger(n) || n <= 0 || n > 65535)
      throw new Error(`SYMBOLOGY_${name}_PORT must be a TCP port, got "${raw}"`);
    return n;
  };
  return {
    dataDir: resolve(values['data-dir'] ?? env.SYMBOLOGY_DATA_DIR ?? DEFAULT_DATA_DIR),
    edgarMirror: values['edgar-mirror'] ? resolve(values['edgar-mirror']) : undefined,
    ports: {
      web: port('WEB', 3000, values.port ?? env.SYMBOLOGY_WEB_PORT),
      ingestor: port('INGESTOR', 9101),
      projector: port('PROJECTOR', 9102),
      nats: port('NATS', 4333),
      natsMonitor: port('NATS_MONITOR', 8333),
      mirror: port('MIRROR', 8400),
      postgres: port('POSTGRES', 5433),
    },
  };
}
