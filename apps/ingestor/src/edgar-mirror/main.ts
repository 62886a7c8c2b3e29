import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEdgarMirror } from './edgar-mirror';

// Serves recorded EDGAR responses: tsx src/edgar-mirror/main.ts --root fixtures/edgar --root ../../../shared/edgar --port 8920
const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    log: { type: 'string' },
  },
});

const roots = (values.root ?? []).map((root) => resolve(root));
const port = Number(values.port);
if (roots.length === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('usage: main.ts --root DIR [--root DIR ...] [--port N] [--host H] [--log FILE.jsonl]\n');
  process.exit(2);
}

const mirror = await startEdgarMirror({
  roots,
  port,
  host: values.host,
  ...(values.log ? { logFile: resolve(values.log) } : {}),
});
process.stdout.write(`${JSON.stringify({ url: mirror.url, wwwUrl: mirror.wwwUrl, dataUrl: mirror.dataUrl, roots })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void mirror.close().then(() => process.exit(0)));
}
