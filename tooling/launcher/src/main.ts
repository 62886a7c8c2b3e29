// `npm start`: the whole system on one machine (scripts/bootstrap.mjs builds this file, then runs
// it compiled). NATS and Postgres come from NATS_URL / DATABASE_URL when set, else are started
// here. SIGINT, SIGTERM and SIGHUP stop everything in order, then the launcher exits; if the
// launcher itself is killed, its watchdog stops what it started.
import { join } from 'node:path';
import { launchSystem, type RunningSystem } from './launch-system';
import { EdgarMirrorFolderError, parseLauncherOptions, USAGE } from './options';
import { terminalSink } from './output/terminal-sink';
import { StartupError } from './startup-error';

const logs = terminalSink();
const say = (message: string) => logs('launcher', message);
// Once the terminal is gone (SIGHUP) writes fail; stopping the services must go on regardless.
process.stdout.on('error', () => {});

function firstLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

const options = (() => {
  try {
    return parseLauncherOptions(process.argv.slice(2));
  } catch (error) {
    // A folder that is not there is not a usage mistake: its message says what to do instead.
    say(error instanceof EdgarMirrorFolderError ? error.message : `${firstLine(error)}\n${USAGE}`);
    process.exit(2);
  }
})();
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (!options.edgarMirror && !process.env.SEC_USER_AGENT && !process.env.EDGAR_WWW_URL) {
  say(
    'SEC asks every client to name itself: set SEC_USER_AGENT="Your Name you@example.com" to ingest from SEC EDGAR, ' +
      'or run offline with `npm start -- --edgar-mirror ../shared/edgar`',
  );
  process.exit(2);
}

const abort = new AbortController();
const launching: Promise<RunningSystem> = launchSystem({
  dataDir: options.dataDir,
  ports: options.ports,
  nats: process.env.NATS_URL
    ? { url: process.env.NATS_URL }
    : {
        own: {
          storeDir: join(options.dataDir, 'nats'),
          port: options.ports.nats,
          monitorPort: options.ports.natsMonitor,
        },
      },
  database: process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL }
    : { auto: { dataDir: options.dataDir, port: options.ports.postgres } },
  ...(options.edgarMirror ? { edgarMirror: { roots: [options.edgarMirror] } } : {}),
  logs,
  signal: abort.signal,
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping...`);
  abort.abort();
  const system = await launching.catch(() => undefined);
  await system?.stop();
  say('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

launching.then(
  (system) => {
    if (stopping) return;
    say(`Symbology is running: ${system.webUrl}  (Ctrl-C to stop)`);
  },
  (error: unknown) => {
    if (stopping) return;
    if (error instanceof StartupError) {
      say(`could not start: ${error.message}`);
      if (error.hint) say(`what to do: ${error.hint}`);
    } else {
      say(`could not start: ${firstLine(error)}`);
    }
    process.exit(1);
  },
);
