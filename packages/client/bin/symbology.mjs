#!/usr/bin/env node
// Runs the compiled CLI (dist/cli.js, from `pnpm build`; `npm start` builds it): no TypeScript loader at run time.
const cli = new URL('../dist/cli.js', import.meta.url);
await import(cli.href).catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(cli.pathname)) throw error;
  console.error('symbology: the CLI is not built yet: run `pnpm build cli` (npm start builds it too)');
  process.exit(3);
});
