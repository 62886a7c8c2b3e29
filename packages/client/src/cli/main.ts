import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TickerSchema } from '@symbology/contracts';
import { createSymbologyClient } from '../client';
import { companyCommand } from './commands/company';
import { eventsCommand } from './commands/events';
import { ingestCommand } from './commands/ingest';
import { statusCommand } from './commands/status';
import { parseCliEnv } from './env';
import { EXIT_CODE_HELP, ExitCode, UsageError } from './exit-codes';

const USAGE = `symbology: the Symbology command line

  symbology ingest <TICKER> [--follow] [--poll] [--json]   ask for an ingestion; --follow shows live progress
  symbology status <taskId> [--json]                       a task's projected status
  symbology company <TICKER> [--json]                      an ingested company's profile, filings and key facts
  symbology events [--follow] [--task <id>] [--type <t>] [--json]
                                                           typed tail of the INGEST stream on NATS

Environment: SYMBOLOGY_URL (default http://127.0.0.1:3000), SYMBOLOGY_WS_URL, NATS_URL,
NATS_USER (default subscriber), NATS_PASSWORD.

${EXIT_CODE_HELP}`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', short: 'f', default: false },
      poll: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      task: { type: 'string' },
      type: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? ExitCode.Ok : ExitCode.Usage;
  }
  const env = parseCliEnv();
  if (command === 'events') {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    return eventsCommand(env, {
      follow: values.follow,
      task: values.task,
      type: values.type,
      json: values.json,
      signal: stop.signal,
    });
  }
  const client = createSymbologyClient({
    url: env.SYMBOLOGY_URL,
    wsUrl: env.SYMBOLOGY_WS_URL,
    clientId: `cli-${randomUUID()}`,
  });
  try {
    switch (command) {
      case 'ingest':
        return await ingestCommand(client, {
          ticker: ticker(arg),
          follow: values.follow,
          poll: values.poll,
          json: values.json,
        });
      case 'status':
        if (!arg) throw new UsageError('status needs a task id');
        return await statusCommand(client, arg, values.json);
      case 'company':
        return await companyCommand(client, ticker(arg), values.json);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await client.close();
  }
}

function ticker(raw: string | undefined): string {
  const parsed = TickerSchema.safeParse(raw ?? '');
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'bad ticker');
  return parsed.data;
}

/** Maps what went wrong to a line on stderr and an exit code. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return ExitCode.Usage;
  }
  const code = (error as { data?: { code?: string } }).data?.code;
  const message = (error as Error).message ?? String(error);
  const unreachable = /fetch failed|ECONNREFUSED/.test(message);
  process.stderr.write(
    unreachable
      ? `symbology: cannot reach the Symbology web app at ${apiUrl()}: is it running (npm start)? Set SYMBOLOGY_URL otherwise.\n`
      : `symbology: ${message}\n`,
  );
  if (code === 'NOT_FOUND') return ExitCode.NotFound;
  if (code === 'CONFLICT') return ExitCode.Conflict;
  if (code === 'BAD_REQUEST') return ExitCode.Usage;
  return ExitCode.Unavailable;
}

function apiUrl(): string {
  try {
    return parseCliEnv().SYMBOLOGY_URL;
  } catch {
    return 'SYMBOLOGY_URL';
  }
}
