import { loadEnv } from '../env';
import { startWebServerWith } from './http/web-server';

// The process entry (pnpm dev / pnpm start): boot, then stop cleanly on SIGTERM / SIGINT so that
// browsers get the reconnect notification and move to another node.
async function main(): Promise<void> {
  const server = await startWebServerWith(loadEnv());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.services.logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        server.services.logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  if (err instanceof Error && err.cause) console.error('cause:', err.cause);
  process.exit(1);
});
