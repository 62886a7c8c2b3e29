import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { describeExit, EXIT_REPORT_LINES, type Child, type Exit } from './process/child';

/** The part of a service's /readyz body the launcher reads. */
const ReadyBodySchema = z.looseObject({ instanceId: z.string().optional() });

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
  /** How the child ended, when it died before it was ready (a supervisor tells exit 78 from a crash). */
  readonly exit: Exit | undefined;
  /** Its last lines of output then (empty when it did not die). */
  readonly lastLines: readonly string[];
  /** The process that was not ready. */
  readonly pid: number;
  constructor(message: string, child: { pid: number }, exit?: Exit, lastLines: readonly string[] = []) {
    super(message);
    this.pid = child.pid;
    this.exit = exit;
    this.lastLines = lastLines;
  }
}

type Answer = { kind: 'ours' } | { kind: 'unmarked' } | { kind: 'other'; instanceId: string } | { kind: 'not-yet' };

/**
 * Reads /readyz once. A 200 counts only when its body names the instance id this launcher gave the
 * child in SYMBOLOGY_INSTANCE_ID: a 200 from anything else on that port (an instance left behind
 * by another launcher) is not our service being ready.
 */
async function ask(url: string, instanceId: string | undefined, stop?: AbortSignal): Promise<Answer> {
  const timeout = AbortSignal.timeout(2_000);
  const res = await fetch(url, { signal: stop ? AbortSignal.any([timeout, stop]) : timeout }).catch(() => undefined);
  if (!res?.ok) return { kind: 'not-yet' };
  const body = ReadyBodySchema.safeParse(await res.json().catch(() => undefined));
  const answered = body.success ? body.data.instanceId : undefined;
  if (answered === undefined || instanceId === undefined) return { kind: 'unmarked' };
  return answered === instanceId ? { kind: 'ours' } : { kind: 'other', instanceId: answered };
}

/**
 * Waits until `child` answers 200 on `url` with the instance id it was given. An answer with no
 * instance id (nats-server's, called without one; a service built before services reported it) is
 * taken as ready only while the child it answers for is still running; the port check before start
 * is what rules out a stranger on its port then.
 */
export async function waitUntilReady(
  child: Child,
  url: string,
  { instanceId, timeoutMs = 120_000, signal }: { instanceId?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const died = () => {
    const exit = child.exit();
    if (!exit) return undefined;
    const tail = child.lastLines().slice(-EXIT_REPORT_LINES);
    return new NotReadyError(
      `${child.name} ${describeExit(exit)} before it was ready${tail.length ? `:\n${tail.join('\n')}` : ''}`,
      child,
      exit,
      tail,
    );
  };
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const dead = died();
    if (dead) throw dead;
    const answer = await ask(url, instanceId, signal);
    signal?.throwIfAborted();
    if (answer.kind === 'other')
      throw new NotReadyError(
        `${url} is answered by another instance (${answer.instanceId}), not the ${child.name} this launcher started (${instanceId ?? ''})`,
        child,
      );
    if (answer.kind === 'ours' || answer.kind === 'unmarked') {
      // The answer came from the port; the child must still be alive for it to be its own.
      const deadAfter = died();
      if (deadAfter) throw deadAfter;
      return;
    }
    await sleep(100);
  }
  throw new NotReadyError(`${child.name} was not ready at ${url} after ${timeoutMs / 1000} s`, child);
}
