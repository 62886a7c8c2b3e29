import { openConnections, type Connections } from '../connections';
import type { Env } from '../env';
import { createLogger, type Logger } from '../logger';

export type Output = { write(text: string): unknown };

export type CliIo = {
  env: Env;
  /** The command's result: tables, reports. */
  out: Output;
  /** Progress and messages for the person at the terminal. */
  err: NodeJS.WritableStream;
};

export type CliContext = CliIo & { conns: Connections; logger: Logger };

/** Opens NATS and Postgres for one command and closes them whatever it returns. */
export async function withConnections(
  io: CliIo,
  verbose: boolean,
  run: (ctx: CliContext) => Promise<number>,
): Promise<number> {
  const logger = createLogger(verbose ? io.env.LOG_LEVEL : 'warn', 2);
  const conns = await openConnections(
    {
      natsUrl: io.env.NATS_URL,
      natsUser: io.env.NATS_USER,
      natsPassword: io.env.NATS_PASSWORD,
      databaseUrl: io.env.DATABASE_URL,
    },
    'symbology-projector-cli',
  );
  try {
    return await run({ ...io, conns, logger });
  } finally {
    await conns.close();
  }
}

export const line = (out: Output, text = '') => out.write(`${text}\n`);
