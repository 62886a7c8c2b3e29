// pnpm bench:e2e: event published -> status received by a WebSocket subscriber, measured from
// outside with every part as its own process, Symbology beside a BullMQ + ws reference in the same
// load shape, alternating. One JSON line per run on stdout, a table at the end; progress on stderr.
import { execFileSync } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePostgresServer } from '@symbology/dev-services';
import { z } from 'zod';
import { bullmqSystem } from './bullmq/system';
import { redisServerPid } from './bullmq/redis';
import { parseOptions, USAGE, type BenchOptions } from './cli/options';
import { formatTable } from './report/table';
import { toRunResult, type RunResult } from './report/run-result';
import type { StartedSystem, StartSystem, SystemName } from './run/edge';
import { runLoad } from './run/run-load';
import { symbologySystem } from './symbology/system';

const say = (text: string) => process.stderr.write(`${text}\n`);

const options = parseOptions(process.argv.slice(2));
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
assertFileLimit(options);

const postgres = options.systems.includes('symbology')
  ? await resolvePostgresServer(join(tmpdir(), 'symbology-bench-postgres'))
  : undefined;
if (options.systems.includes('bullmq') && (await redisServerPid(options.redisUrl)) === undefined) {
  throw new Error(`no Redis answers at ${options.redisUrl} (start one, or pass --redis-url, or --systems symbology)`);
}
const bullmqVersion = z
  .object({ version: z.string() })
  .parse(JSON.parse(await readFile(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8'))).version;
const commit = currentCommit();
const starters: Record<SystemName, StartSystem> = {
  symbology: postgres ? symbologySystem(postgres.adminUrl, options) : () => Promise.reject(new Error('no Postgres')),
  bullmq: bullmqSystem(options.redisUrl),
};

const results: RunResult[] = [];
/** The system of the run in progress: stopped on Ctrl-C too, so no app, server or database outlives the bench. */
let running: StartedSystem | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the run in progress`);
    void Promise.allSettled([running?.stop(), postgres?.stop()]).then(() => process.exit(130));
  });
}
let crashed = 0;
try {
  for (const c of options.cases) {
    for (let run = 1; run <= options.runs; run++) {
      // Alternate which system goes first, so neither always runs on a machine the other warmed.
      const order = run % 2 === 1 ? options.systems : [...options.systems].reverse();
      for (const system of order) {
        const shape = {
          tasks: options.tasks,
          intervalMs: c.intervalMs,
          startSpreadMs: options.startSpreadMs ?? c.intervalMs,
        };
        say(
          `\n${system}: ${c.subscribers} subscribers, ${shape.tasks} tasks x 13 events ${shape.intervalMs} ms apart, run ${run}`,
        );
        const startedAt = new Date().toISOString();
        const loadStart = loadavg();
        try {
          const started = (running = await starters[system]({ subscribers: c.subscribers, shape }));
          const raw = await runLoad(started, { system, subscribers: c.subscribers, ...options }).finally(() =>
            started.stop(),
          );
          running = undefined;
          const result = toRunResult(
            {
              label: options.label,
              commit,
              system,
              systemVersion: system === 'bullmq' ? bullmqVersion : null,
              run,
              startedAt,
              subscribers: c.subscribers,
              shape,
              loadAvg: { start: loadStart, end: loadavg() },
              settleMs: options.settleMs,
              warmUp: options.warmUp,
              appEnv: system === 'symbology' ? options.appEnv : null,
              natsSync: system === 'symbology' ? options.natsSync : null,
              natsNodes: system === 'symbology' ? options.natsNodes : null,
            },
            raw,
          );
          results.push(result);
          await emit(result, options.out);
          say(formatTable([result]));
        } catch (error) {
          crashed++;
          say(
            `${system} run ${run} with ${c.subscribers} subscribers crashed: ${error instanceof Error ? error.stack : error}`,
          );
        }
      }
    }
  }
} finally {
  await postgres?.stop();
}

process.stdout.write(`\n${formatTable(results)}\n`);
if (crashed > 0) say(`${crashed} run(s) crashed: see above`);
process.exitCode = crashed === 0 && results.every((r) => r.ok) ? 0 : 1;

async function emit(result: RunResult, out: string | undefined): Promise<void> {
  const line = `${JSON.stringify(result)}\n`;
  process.stdout.write(line);
  if (out) await appendFile(out, line);
}

function currentCommit(): string | null {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

/** Every socket is a file descriptor: the edge holds one per subscriber, as does each client process. */
function assertFileLimit({ cases }: BenchOptions): void {
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
  const most = Math.max(...cases.map((c) => c.subscribers));
  if (Number.isFinite(limit) && limit < most + 200) {
    throw new Error(
      `ulimit -n is ${limit}: ${most} subscribers need at least ${most + 200} (raise it: ulimit -n 65536)`,
    );
  }
}
