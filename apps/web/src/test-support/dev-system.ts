import { loadEnv } from '../env';
import { startWebServer } from '../server/index';
import { startTestSystem } from './test-system';

// A throwaway NATS + database + web server in dev mode, for looking at pages by hand:
// `tsx src/test-support/dev-system.ts`. Prints the URL; Ctrl-C stops everything.
const system = await startTestSystem();
// PORT and WEB_NEXT_MODE come from this shell's environment (defaults: 3000, dev).
const { PORT, WEB_NEXT_MODE } = loadEnv();
const web = await startWebServer({ ...system.env({ LOG_LEVEL: 'info' }), port: PORT, next: WEB_NEXT_MODE ?? 'dev' });
console.log(`web: ${web.url}  nats: ${system.nats.url}  db: ${system.database.url}`);
process.once(
  'SIGINT',
  () =>
    void web
      .stop()
      .then(() => system.stop())
      .then(() => process.exit(0)),
);
