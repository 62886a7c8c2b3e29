import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eventTypeFromToken, INGEST_STREAM, parseEvent, SUBJECT_TOKEN, type IngestEvent } from '@symbology/contracts';
import { PULL_EXPIRES_MS } from '@symbology/service/pull-expiry';
import { z } from 'zod';
import type { CliTarget } from '../env';
import { ExitCode, UsageError } from '../exit-codes';

export type EventsOptions = { follow: boolean; task?: string; type?: string; json: boolean; signal?: AbortSignal };

/** `ingest.<task|*>.<token|*>`: the filter a task and/or an event type narrow the tail to. */
export function eventsFilter(options: Pick<EventsOptions, 'task' | 'type'>): string {
  let token = '*';
  if (options.type) {
    const type = eventTypeFromToken(options.type) ?? (options.type in SUBJECT_TOKEN ? options.type : undefined);
    if (!type)
      throw new UsageError(`unknown event type "${options.type}": one of ${Object.values(SUBJECT_TOKEN).join(', ')}`);
    token = SUBJECT_TOKEN[type as keyof typeof SUBJECT_TOKEN];
  }
  // A task id is one subject token: anything else would match nothing, or make an invalid subject.
  if (options.task !== undefined && !z.uuid().safeParse(options.task).success)
    throw new UsageError(`"${options.task}" is not a task id: a task id is a UUID, as \`symbology ingest\` prints it`);
  return `ingest.${options.task ?? '*'}.${token}`;
}

export function formatEvent(seq: number, event: IngestEvent): string {
  const d = event.data as Record<string, unknown>;
  const detail = Object.entries(d)
    .flatMap(([k, v]) => {
      if (typeof v !== 'object' || v === null) return [`${k}=${String(v)}`];
      // An error reads as its code and message; other nested values (lists of filings) are left to --json.
      const { code, message } = v as { code?: unknown; message?: unknown };
      return typeof message === 'string' ? [`${k}=${String(code)} ${JSON.stringify(message)}`] : [];
    })
    .join(' ');
  return `#${seq} ${event.occurredAt} ${event.taskId} ${event.type} ${detail}`;
}

/**
 * A typed tail of the INGEST stream, read with an ordered consumer as the read-only `subscriber`
 * user: every stored event matching the filter, then (with --follow) new ones as they arrive.
 */
export async function eventsCommand(
  nats: CliTarget['nats']['value'],
  options: EventsOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const filter = eventsFilter(options);
  const nc = await connect({ servers: nats.url, user: nats.user, pass: nats.pass, name: 'symbology-cli' }).catch(
    (error: Error) => {
      process.stderr.write(
        `symbology: cannot reach NATS at ${nats.url} as ${nats.user} (${error.message}): is Symbology running (npm start)? Otherwise say where with NATS_URL or --nats-url.\n`,
      );
      return undefined;
    },
  );
  if (!nc) return ExitCode.Unavailable;
  try {
    const jsm = await jetstreamManager(nc);
    const head = (await jsm.streams.info(INGEST_STREAM)).state.last_seq;
    const consumer = await jetstream(nc).consumers.get(INGEST_STREAM, {
      // One filter, as a string: it goes into the create subject, the only form nats.conf allows.
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.All,
    });
    const pending = (await consumer.info()).num_pending;
    if (pending === 0 && !options.follow) return ExitCode.Ok;
    const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
    options.signal?.addEventListener('abort', () => void messages.close(), { once: true });
    for await (const msg of messages) {
      const parsed = parseEvent(msg.data);
      if (parsed.ok)
        out.write(
          `${options.json ? JSON.stringify({ seq: msg.seq, ...parsed.event }) : formatEvent(msg.seq, parsed.event)}\n`,
        );
      else process.stderr.write(`#${msg.seq} ${msg.subject}: unreadable (${parsed.message})\n`);
      if (!options.follow && (msg.info.pending === 0 || msg.seq >= head)) break;
    }
    return ExitCode.Ok;
  } finally {
    await nc.close();
  }
}
