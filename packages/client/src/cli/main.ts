import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TickerSchema } from '@symbology/contracts';
import { createSymbologyClient } from '../client';
import { cancelCommand } from './commands/cancel';
import { companyCommand } from './commands/company';
import { eventsCommand } from './commands/events';
import { healthCommand } from './commands/health';
import { ingestCommand } from './commands/ingest';
import { statusCommand } from './commands/status';
import { EXIT_CODE_HELP, ExitCode, UsageError } from './exit-codes';
import { connectingLine, resolveTarget, type CliTarget } from './env';

const USAGE = `symbology: the Symbology command line

  symbology ingest <TICKER> [--follow] [--poll] [--json]   ask for an ingestion; --follow shows live progress
  symbology ingest <TICKER> --retry [--follow]             retry what the company's last ingestion could not store
  symbology cancel <taskId> [--follow]                     stop a task after the filing in hand (keeps what it stored)
  symbology status [--json]                                is the system up: each service's readiness checks
  symbology status <taskId> [--json]                       a task's status, and what each filing lacks and why
  symbology company <TICKER> [--json]                      an ingested company's profile, filings and key facts
  symbology events [--follow] [--task <id>] [--type <t>] [--json]
                                                           typed tail of the INGEST stream on NATS

Where it connects (said on stderr), the first that is set:
  web app  --url, SYMBOLOGY_URL, http://127.0.0.1:$SYMBOLOGY_WEB_PORT, the running instance, http://127.0.0.1:3000
  NATS     --nats-url, NATS_URL, the running instance, nats://127.0.0.1:4333; as NATS_USER / NATS_PASSWORD,
           else the instance's read-only subscriber credentials
The running instance is the one \`npm start\` started: <data dir>/instance.json, the data dir being
--data-dir, SYMBOLOGY_DATA_DIR or the repo's .data. SYMBOLOGY_WS_URL overrides the WebSocket URL.

${EXIT_CODE_HELP}`;

export async function main(argv: string[], stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', short: 'f', default: false },
      retry: { type: 'boolean', default: false },
      poll: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      task: { type: 'string' },
      type: { type: 'string' },
      url: { type: 'string' },
      'nats-url': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? ExitCode.Ok : ExitCode.Usage;
  }
  if (!['ingest', 'status', 'company', 'events', 'cancel'].includes(command))
    throw new UsageError(`unknown command "${command}"`);
  const target = await resolveTarget({ url: values.url, natsUrl: values['nats-url'], dataDir: values['data-dir'] });
  try {
    return await run(command, arg, values, target, stderr);
  } catch (error) {
    return reportError(error, target);
  }
}

type Values = { follow: boolean; retry: boolean; poll: boolean; json: boolean; task?: string; type?: string };

async function run(
  command: string,
  arg: string | undefined,
  values: Values,
  target: CliTarget,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  if (command === 'events') {
    stderr.write(`${connectingLine('NATS', target)}\n`);
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    return eventsCommand(target.nats.value, {
      follow: values.follow,
      task: values.task,
      type: values.type,
      json: values.json,
      signal: stop.signal,
    });
  }
  if (command === 'status' && !arg) return healthCommand(target, { json: values.json });
  // Checked before connecting: a typo is a usage error, not a network one.
  const input = command === 'status' || command === 'cancel' ? taskId(command, arg) : ticker(arg);
  stderr.write(`${connectingLine('web app', target)}\n`);
  const client = createSymbologyClient({
    url: target.web.value.url,
    wsUrl: target.web.value.wsUrl,
    clientId: `cli-${randomUUID()}`,
  });
  try {
    switch (command) {
      case 'ingest':
        return await ingestCommand(client, {
          ticker: input,
          follow: values.follow,
          poll: values.poll,
          json: values.json,
          retry: values.retry,
        });
      case 'cancel':
        return await cancelCommand(client, {
          taskId: input,
          follow: values.follow,
          poll: values.poll,
          json: values.json,
        });
      case 'status':
        return await statusCommand(client, input, values.json);
      default:
        return await companyCommand(client, input, values.json);
    }
  } finally {
    await client.close();
  }
}

function taskId(command: string, raw: string | undefined): string {
  if (!raw) throw new UsageError(`${command} needs a task id`);
  return raw;
}

function ticker(raw: string | undefined): string {
  const parsed = TickerSchema.safeParse(raw ?? '');
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'bad ticker');
  return parsed.data;
}

/** Maps what went wrong to a line on stderr and an exit code. */
export function reportError(error: unknown, target?: CliTarget): number {
  // node:util parseArgs: an unknown option, or one without its value (`--task` last), is a usage error.
  if (error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return ExitCode.Usage;
  }
  const code = (error as { data?: { code?: string } }).data?.code;
  const message = (error as Error).message ?? String(error);
  const unreachable = /fetch failed|ECONNREFUSED/.test(message);
  process.stderr.write(
    unreachable && target
      ? `symbology: cannot reach the Symbology web app at ${target.web.value.url}: is it running (npm start)? Otherwise say where with SYMBOLOGY_URL or --url.\n`
      : `symbology: ${message}\n`,
  );
  if (code === 'NOT_FOUND') return ExitCode.NotFound;
  if (code === 'CONFLICT') return ExitCode.Conflict;
  if (code === 'BAD_REQUEST') return ExitCode.Usage;
  return ExitCode.Unavailable;
}
