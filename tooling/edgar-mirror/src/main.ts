import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEdgarMirror } from './edgar-mirror';
import { FIXTURES_DIR } from './test-data';

// Serves recorded EDGAR responses: the repo fixtures always, then each --root in order:
//   pnpm --filter @symbology/edgar-mirror start -- --root ../../../shared/edgar --port 8920
const USAGE = 'usage: main.ts [--root DIR ...] [--port N] [--host H] [--log FILE.jsonl]\n';
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    root: { type: 'string', multiple: true },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    log: { type: 'string' },
  },
});

const roots = [FIXTURES_DIR, ...(values.root ?? []).map((root) => resolve(root))];
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const mirror = await startEdgarMirror({
  roots,
  port,
  host: values.host,
  ...(values.log ? { logFile: resolve(values.log) } : {}),
});
process.stdout.write(`${JSON.stringify({ url: mirror.url, wwwUrl: mirror.wwwUrl, dataUrl: mirror.dataUrl, roots })}\n`);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void mirror.close().then(() => process.exit(0)));
}
