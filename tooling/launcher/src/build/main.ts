import { parseArgs } from 'node:util';
import { buildTargets } from './build';
import { isTargetName, TARGET_NAMES } from './targets';

// `pnpm build [target ...] [--force]`: compiles what is missing or stale (all targets by default).
const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
});
const unknown = positionals.filter((name) => !isTargetName(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown build target ${unknown.join(', ')}; targets: ${TARGET_NAMES.join(', ')}\n`);
  process.exit(2);
}
const names = positionals.length > 0 ? positionals.filter(isTargetName) : TARGET_NAMES;
try {
  const reports = await buildTargets(names, {
    force: values.force,
    onLine: (name, line) => values.quiet || process.stderr.write(`${name} │ ${line}\n`),
  });
  for (const r of reports) {
    const what = r.built ? `built in ${r.seconds.toFixed(1)} s (${r.reason})` : 'up to date';
    if (!values.quiet || r.built) process.stderr.write(`[build] ${r.name}: ${what}\n`);
  }
} catch (error) {
  process.stderr.write(`[build] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
