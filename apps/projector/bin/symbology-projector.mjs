#!/usr/bin/env node
// The operator CLI, compiled (dist/cli.js from `pnpm build projector`): runs without a TypeScript loader.
const cli = new URL('../dist/cli.js', import.meta.url);
await import(cli.href).catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(cli.pathname)) throw error;
  console.error('symbology-projector: not built yet: run `pnpm build projector` (npm start builds it too)');
  process.exit(78);
});
