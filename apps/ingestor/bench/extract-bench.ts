// pnpm bench:extract — time and peak memory of cutting sections, on the real 10-Ks in
// ../shared/edgar (when present) and on generated hostile inputs of 1, 10 and 50 MB.
//
// Every case runs in a child process of its own, so its peak RSS is its own; the peak heap is the
// largest heap seen by V8's GC profiler before a collection, or at the end. Options:
//   --sizes 1,10,50         MB of each generated input
//   --case-timeout 120      seconds before a case is stopped and reported as such
//   --module <path>         an extractSections(html, form) to measure instead (e.g. an older
//                           version checked out elsewhere), for before/after figures
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GCProfiler } from 'node:v8';
import { HOSTILE_INPUTS, REAL_10KS } from './extract/hostile-inputs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,10,50' },
    'case-timeout': { type: 'string', default: '120' },
    module: { type: 'string', default: fileURLToPath(new URL('../src/edgar/extract-sections.ts', import.meta.url)) },
    case: { type: 'string' },
    mb: { type: 'string' },
  },
});

type Measured = { ms: number; baseRssMb: number; peakRssMb: number; peakHeapMb: number; bytes: number; note: string };
const MB = 1024 * 1024;

if (values.case) {
  process.stdout.write(JSON.stringify(await measure(values.case, Number(values.mb ?? 0), values.module)));
} else {
  await run();
}

/** The child: builds the input, cuts it once, reports. */
async function measure(name: string, mb: number, modulePath: string): Promise<Measured> {
  const { extractSections } = (await import(pathToFileURL(modulePath).href)) as {
    extractSections: (html: string, form: string) => unknown;
  };
  const realPath = (REAL_10KS as Record<string, string>)[name];
  const html = realPath ? readFileSync(realPath, 'utf8') : (HOSTILE_INPUTS[name]?.(mb * MB) ?? '');
  const baseRssMb = process.memoryUsage().rss / MB;
  const profiler = new GCProfiler();
  profiler.start();
  const started = performance.now();
  const result = extractSections(html, '10-K');
  const ms = performance.now() - started;
  const gcs = profiler.stop()?.statistics ?? [];
  const peakHeap = Math.max(process.memoryUsage().heapUsed, ...gcs.map((g) => g.beforeGC.heapStatistics.usedHeapSize));
  return {
    ms,
    baseRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / MB,
    bytes: html.length,
    note: describe(result),
  };
}

function describe(result: unknown): string {
  if (Array.isArray(result)) return `${result.length} sections`;
  const r = result as { kind?: string; sections?: Array<{ status: string; code?: string }> };
  if (r.kind !== 'cut') return r.kind ?? '?';
  return r.sections?.map((s) => (s.status === 'found' ? 'found' : s.code)).join(', ') ?? '';
}

/** The parent: one child per case, a table of results. */
async function run(): Promise<void> {
  const sizes = values.sizes.split(',').map(Number);
  const cases: Array<[string, number]> = [
    ...Object.keys(REAL_10KS).map((name): [string, number] => [name, 0]),
    ...Object.keys(HOSTILE_INPUTS).flatMap((name) => sizes.map((mb): [string, number] => [name, mb])),
  ];
  if (Object.keys(REAL_10KS).length === 0) console.log('(the real 10-Ks in ../shared/edgar are absent: skipped)');
  console.log(`extractSections from ${values.module}\n`);
  console.log(
    `${'input'.padEnd(34)}${'size MB'.padStart(8)}${'time ms'.padStart(10)}${'RSS MB'.padStart(8)}${'peak RSS'.padStart(10)}${'peak heap'.padStart(11)}  result`,
  );
  for (const [name, mb] of cases) {
    const measured = await inChild(name, mb);
    const label = `${name}${mb ? ` (${mb} MB)` : ''}`.padEnd(34);
    if (typeof measured === 'string') {
      console.log(`${label}${String(mb || '').padStart(8)}  ${measured}`);
      continue;
    }
    const { ms, baseRssMb, peakRssMb, peakHeapMb, bytes, note } = measured;
    console.log(
      `${label}${(bytes / MB).toFixed(1).padStart(8)}${Math.round(ms).toString().padStart(10)}${baseRssMb.toFixed(0).padStart(8)}${peakRssMb.toFixed(0).padStart(10)}${peakHeapMb.toFixed(0).padStart(11)}  ${note}`,
    );
  }
  console.log('\nRSS MB: after building the input, before cutting; peak RSS/heap: the whole child process.');
}

function inChild(name: string, mb: number): Promise<Measured | string> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = [
    '--import',
    tsx,
    fileURLToPath(import.meta.url),
    '--case',
    name,
    '--mb',
    String(mb),
    '--module',
    values.module,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timeoutS = Number(values['case-timeout']);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(`stopped after ${timeoutS} s (still running)`);
      else if (code !== 0) resolve(`failed (exit ${code})`);
      else resolve(JSON.parse(out) as Measured);
    });
  });
}
