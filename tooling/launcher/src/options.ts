import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from '@symbology/service/instance-state';

export type LauncherOptions = {
  dataDir: string;
  edgarMirror: string | undefined;
  ports: {
    web: number;
    ingestor: number;
    projector: number;
    nats: number;
    natsMonitor: number;
    mirror: number;
    postgres: number;
  };
};

export const USAGE = `usage: npm start -- [options]
  --edgar-mirror <dir>   serve recorded EDGAR responses from <dir> (e.g. ../shared/edgar) and the repo fixtures, and point the ingestor at them
  --data-dir <dir>       where the state file, NATS and the embedded Postgres keep their data (default .data)
  --port <n>             the web app's port (default 3000)
  --help`;

/** Ports default to the documented ones; SYMBOLOGY_*_PORT moves them (the launcher's own tests do). */
export function parseLauncherOptions(argv: string[], env = process.env): LauncherOptions | 'help' {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      'edgar-mirror': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const port = (name: string, fallback: number, raw = env[`SYMBOLOGY_${name}_PORT`]) => {
    const n = raw ? Number(raw) : fallback;
    if (!Number.isInteger(n) || n <= 0 || n > 65535)
      throw new Error(`SYMBOLOGY_${name}_PORT must be a TCP port, got "${raw}"`);
    return n;
  };
  return {
    dataDir: resolve(values['data-dir'] ?? env.SYMBOLOGY_DATA_DIR ?? DEFAULT_DATA_DIR),
    edgarMirror: values['edgar-mirror'] ? checkEdgarMirror(values['edgar-mirror']) : undefined,
    ports: {
      web: port('WEB', 3000, values.port ?? env.SYMBOLOGY_WEB_PORT),
      ingestor: port('INGESTOR', 9101),
      projector: port('PROJECTOR', 9102),
      nats: port('NATS', 4333),
      natsMonitor: port('NATS_MONITOR', 8333),
      mirror: port('MIRROR', 8400),
      postgres: port('POSTGRES', 5433),
    },
  };
}

/** `--edgar-mirror` names a folder that is missing or holds no recorded EDGAR responses. */
export class EdgarMirrorFolderError extends Error {
  override readonly name = 'EdgarMirrorFolderError';
}

/** The hosts a recording is laid out by (<dir>/www.sec.gov/..., <dir>/data.sec.gov/...). */
const EDGAR_HOSTS = ['www.sec.gov', 'data.sec.gov'];

/**
 * The folder's absolute path, once it is known to hold a recording: a folder that is not there (a
 * fresh clone without ../shared/edgar) would otherwise start a system that knows none of its tickers.
 */
function checkEdgarMirror(given: string): string {
  const dir = resolve(given);
  const named = given === dir ? dir : `${given} (${dir})`;
  const instead =
    'Point it at a folder of recorded EDGAR responses, laid out by host (www.sec.gov/, data.sec.gov/; docs/edgar-mirror.md), ' +
    'or leave --edgar-mirror out and set SEC_USER_AGENT="Your Name you@example.com" to ingest from SEC EDGAR.';
  if (!existsSync(dir))
    throw new EdgarMirrorFolderError(`--edgar-mirror: the folder ${named} does not exist. ${instead}`);
  if (!statSync(dir).isDirectory())
    throw new EdgarMirrorFolderError(`--edgar-mirror: ${named} is a file, not a folder. ${instead}`);
  const entries = readdirSync(dir);
  if (!EDGAR_HOSTS.some((host) => entries.includes(host)))
    throw new EdgarMirrorFolderError(
      `--edgar-mirror: the folder ${named} holds no EDGAR recording (neither ${EDGAR_HOSTS.join(' nor ')} inside). ${instead}`,
    );
  return dir;
}
