import { devNatsPassword } from '@symbology/contracts';
import {
  DEFAULT_DATA_DIR,
  findRunningInstance,
  stateFilePath,
  type InstanceState,
} from '@symbology/service/instance-state';
import { UsageError } from './exit-codes';

/** What the command line says, before the environment and the running instance are consulted. */
export type TargetFlags = { url?: string; natsUrl?: string; dataDir?: string };

type Found<T> = { value: T; from: string };

/**
 * Where the CLI connects, and where each setting came from (said on stderr). Each setting is taken
 * from the first that has it: a flag, the environment, the state file of the instance `npm start`
 * runs (`<data dir>/instance.json`, while its launcher is alive), the documented default.
 */
export type CliTarget = {
  web: Found<{ url: string; wsUrl: string }>;
  nats: Found<{ url: string; user: string; pass: string }>;
  /** Each service's ops base URL (its /readyz), for `symbology status`. */
  services: Found<Record<string, string>>;
  /** The running instance found, if any: what `symbology status` reports the uptime of. */
  instance: (InstanceState & { file: string }) | undefined;
};

const DEFAULT_PORTS = { web: 3000, ingestor: 9101, projector: 9102, nats: 4333 } as const;

export async function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Promise<CliTarget> {
  const dataDir = flags.dataDir || env.SYMBOLOGY_DATA_DIR || DEFAULT_DATA_DIR;
  const instance = await runningInstance(dataDir);
  const fromFile = instance && `running instance: ${instance.file}, launcher pid ${instance.pid}`;

  const port = (name: keyof typeof DEFAULT_PORTS) => {
    const variable = `SYMBOLOGY_${name.toUpperCase()}_PORT`;
    const raw = env[variable];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0 || n > 65535)
      throw new UsageError(`${variable} must be a TCP port, got "${raw}"`);
    return { value: n, from: `from ${variable}` };
  };
  const local = (p: number) => `http://127.0.0.1:${p}`;

  const webUrl: Found<string> = flags.url
    ? { value: flags.url, from: 'from --url' }
    : env.SYMBOLOGY_URL
      ? { value: env.SYMBOLOGY_URL, from: 'from SYMBOLOGY_URL' }
      : (() => {
          const p = port('web');
          if (p) return { value: local(p.value), from: p.from };
          if (instance) return { value: instance.webUrl, from: fromFile! };
          return { value: local(DEFAULT_PORTS.web), from: noInstance(dataDir) };
        })();
  const api = parseUrl(webUrl.value, webUrl.from);
  const wsUrl =
    env.SYMBOLOGY_WS_URL ??
    (instance && webUrl.value === instance.webUrl
      ? instance.wsUrl
      : `${api.protocol === 'https:' ? 'wss' : 'ws'}://${api.host}/api/trpc-ws`);

  const natsUrl: Found<string> = flags.natsUrl
    ? { value: flags.natsUrl, from: 'from --nats-url' }
    : env.NATS_URL
      ? { value: env.NATS_URL, from: 'from NATS_URL' }
      : instance
        ? { value: instance.natsUrl, from: fromFile! }
        : { value: `nats://127.0.0.1:${port('nats')?.value ?? DEFAULT_PORTS.nats}`, from: noInstance(dataDir) };
  const user = env.NATS_USER ?? instance?.subscriber?.user ?? 'subscriber';
  const pass = env.NATS_PASSWORD ?? instance?.subscriber?.pass ?? devNatsPassword('subscriber');

  const services: Found<Record<string, string>> =
    instance && !flags.url && !env.SYMBOLOGY_URL && !port('web')
      ? { value: Object.fromEntries(Object.entries(instance.services).map(([n, s]) => [n, s.url])), from: fromFile! }
      : {
          value: {
            projector: local(port('projector')?.value ?? DEFAULT_PORTS.projector),
            ingestor: local(port('ingestor')?.value ?? DEFAULT_PORTS.ingestor),
            web: webUrl.value.replace(/\/$/, ''),
          },
          from: webUrl.from,
        };

  return {
    web: { value: { url: webUrl.value, wsUrl }, from: webUrl.from },
    nats: { value: { url: natsUrl.value, user, pass }, from: natsUrl.from },
    services,
    instance,
  };
}

/** The instance `npm start` runs from this data dir; a state file whose launcher is gone is ignored. */
async function runningInstance(dataDir: string): Promise<CliTarget['instance']> {
  const state = await findRunningInstance(dataDir);
  return state && { ...state, file: stateFilePath(dataDir) };
}

const noInstance = (dataDir: string) => `the default: no instance running from ${dataDir}`;

function parseUrl(value: string, from: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new UsageError(`the web app URL (${from}) is not a URL: "${value}"`);
  }
}

/** The line on stderr that says where a command connects, and why there. */
export function connectingLine(what: 'web app' | 'NATS', target: CliTarget): string {
  if (what === 'NATS') {
    const { value, from } = target.nats;
    return `symbology: NATS ${value.url} as ${value.user} (${from})`;
  }
  return `symbology: web app ${target.web.value.url} (${target.web.from})`;
}
