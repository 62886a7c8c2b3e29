/** What one check found: `detail` says why it failed (or, when it passed, what it measured). */
export type CheckResult = { ok: boolean; detail?: string };

/**
 * One dependency or duty a service needs to do its job, checked on every `/readyz`. `run` may
 * return a result, or throw (the error's message becomes the detail); it is given `timeoutMs`
 * (default 1 s) before it counts as failed, so one hung dependency cannot hang the probe.
 */
export type ReadinessCheck = {
  name: string;
  run: () => Promise<CheckResult> | CheckResult;
  timeoutMs?: number;
};

export type ReadinessReport = {
  ready: boolean;
  checks: Record<string, CheckResult>;
  /** The names of the failing checks, in the order they were given. */
  failing: string[];
};

export const DEFAULT_CHECK_TIMEOUT_MS = 1_000;

/** Runs every check at once, each within its own timeout; ready when all pass. */
export async function runReadiness(checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runCheck(check)));
  const report: ReadinessReport = { ready: true, checks: {}, failing: [] };
  checks.forEach(({ name }, i) => {
    const result = results[i]!;
    report.checks[name] = result;
    if (!result.ok) report.failing.push(name);
  });
  report.ready = report.failing.length === 0;
  return report;
}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check.run), timedOut]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message || error.name : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** A check of something the process knows itself (a loop running, a lock held). */
export function stateCheck(name: string, state: () => CheckResult | boolean): ReadinessCheck {
  return {
    name,
    run: () => {
      const result = state();
      return typeof result === 'boolean' ? { ok: result } : result;
    },
  };
}
