import { describe, expect, it } from 'vitest';
import { startNatsCluster } from './nats-cluster';

describe('startNatsCluster: a cluster that does not form', () => {
  it("is stopped and started again; the last failure shows each node's log and leaves none running", async () => {
    const monitors = new Set<string>();
    const started = startNatsCluster({
      // No time to form at all: every attempt fails, whatever the machine.
      formationMs: 0,
      formationAttempts: 2,
      onLog: (_node, line) => {
        for (const m of line.matchAll(/Starting http monitor on (\S+:\d+)/g)) monitors.add(m[1]!);
      },
    });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /meta leader with all 3 peers current not reached after 0 ms \(2 clusters started\)/,
    );
    for (const node of ['node-1', 'node-2', 'node-3']) expect(error?.message).toContain(`--- ${node}\n`);
    // Two clusters of three nodes were started, on ports of their own; none is left running.
    expect(monitors.size).toBe(6);
    for (const monitor of monitors) {
      await expect(fetch(`http://${monitor}/healthz`)).rejects.toThrow();
    }
  });
});
