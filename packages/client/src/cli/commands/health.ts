import { z } from 'zod';
import { ExitCode } from '../exit-codes';
import type { CliTarget } from '../env';

/** A service's `/readyz` body (packages/service's ops handler): every check with its detail. */
const ReadyzSchema = z.object({
  ready: z.boolean(),
  instanceId: z.string().optional(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
  failing: z.array(z.string()),
});

export type ServiceHealth = { service: string; url: string } & (
  ({ reachable: true } & z.infer<typeof ReadyzSchema>) | { reachable: false; ready: false; error: string }
);

const TIMEOUT_MS = 3_000;

/** Asks one service's `/readyz`; an answer that is not the ops JSON counts as unreachable, with why. */
export async function checkService(service: string, url: string): Promise<ServiceHealth> {
  try {
    const res = await fetch(`${url.replace(/\/$/, '')}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = ReadyzSchema.safeParse(await res.json().catch(() => undefined));
    if (!body.success)
      return { service, url, reachable: false, ready: false, error: `HTTP ${res.status}, not a /readyz report` };
    return { service, url, reachable: true, ...body.data };
  } catch (error) {
    return { service, url, reachable: false, ready: false, error: unreachableReason(error) };
  }
}

function unreachableReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  if (cause?.code === 'ECONNREFUSED') return 'nothing listens there (connection refused)';
  return cause?.message ?? (error as Error).message;
}

/** Lines for one service: a heading with its verdict, then each check with its reason. */
export function describeHealth(h: ServiceHealth): string[] {
  const head = `${h.ready ? '✓' : '✗'} ${h.service.padEnd(10)} ${h.url}`;
  if (!h.reachable) return [`${head}  unreachable: ${h.error}`];
  const verdict = h.ready ? 'ready' : `not ready: ${h.failing.join(', ')} failing`;
  const width = Math.max(...Object.keys(h.checks).map((n) => n.length));
  return [
    `${head}  ${verdict}`,
    ...Object.entries(h.checks).map(([name, c]) => {
      const detail = c.detail ?? (c.ok ? '' : '(no reason reported)');
      return `    ${c.ok ? '✓' : '✗'} ${name.padEnd(width)}  ${detail}`.trimEnd();
    }),
  ];
}

/** `symbology status`: every service's readiness, each check with its reason; exit 3 unless all ready. */
export async function healthCommand(
  target: CliTarget,
  options: { json: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const services = target.services.value;
  const health = await Promise.all(Object.entries(services).map(([name, url]) => checkService(name, url)));
  const allReady = health.every((h) => h.ready);
  if (options.json) {
    out.write(`${JSON.stringify({ ready: allReady, services: health })}\n`);
  } else {
    const since = target.instance ? `, started ${target.instance.startedAt}` : '';
    out.write(
      [
        `services (${target.services.from}${since})`,
        ...health.flatMap(describeHealth),
        allReady ? 'all ready' : 'NOT READY',
        ...(health.every((h) => !h.reachable) ? ['nothing answers: is Symbology running (npm start)?'] : []),
      ]
        .map((l) => `${l}\n`)
        .join(''),
    );
  }
  return allReady ? ExitCode.Ok : ExitCode.Unavailable;
}
