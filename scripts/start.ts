// `npm start`: the whole system on one machine. NATS and Postgres come from NATS_URL /
// DATABASE_URL when set, else are started here; then migrations and stream provisioning; then
// projector, ingestor and web, each awaited until /readyz answers. Ctrl-C stops everything.
import { say } from './launcher/log-lines';
import { provisionStreams, startNats, startPostgres, type Stoppable } from './launcher/infrastructure';
import { parseLauncherOptions } from './launcher/options';
import { buildWeb, startIngestor, startMirror, startProjector, startWeb, webBuildIsStale } from './launcher/services';

const options = parseLauncherOptions(process.argv.slice(2).filter((a) => a !== '--'));
const running: Stoppable[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping...');
    // Reverse start order: web first (no new requests), infrastructure last.
    for (const part of running.reverse()) await part.stop().catch((e: Error) => say(`stop failed: ${e.message}`));
    say('stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main(): Promise<void> {
  if (!options.edgarMirror && !process.env.SEC_USER_AGENT && !process.env.EDGAR_WWW_URL) {
    throw new Error(
      'SEC asks every client to name itself: set SEC_USER_AGENT="Your Name you@example.com" to ingest from SEC EDGAR, ' +
        'or run offline with `npm start -- --edgar-mirror ../shared/edgar`',
    );
  }
  const webBuild = (await webBuildIsStale()) ? buildWeb() : Promise.resolve();
  const nats = await startNats(options);
  running.push(nats);
  const pg = await startPostgres(options);
  running.push(pg);
  await provisionStreams(nats.url);
  const mirror = options.edgarMirror ? await startMirror(options, options.edgarMirror) : undefined;
  if (mirror) running.push(mirror);
  const infra = { natsUrl: nats.url, databaseUrl: pg.url, mirrorUrl: mirror?.url };
  running.push(await startProjector(options, infra));
  running.push(await startIngestor(options, infra));
  await webBuild;
  running.push(await startWeb(options, infra));
  say(`Symbology is running: http://127.0.0.1:${options.ports.web}  (Ctrl-C to stop)`);
}

main().catch((error: Error) => {
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  say(`could not start: ${error.message.split('\n')[0]}${cause}`);
  void shutdown(1);
});
