import { getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse, TRPCError } from '@trpc/server';
import { parseTRPCMessage, type TRPCClientOutgoingMessage, type TRPCResponseMessage } from '@trpc/server/rpc';
import { AppError } from '../../app-error';
import type { TrpcContext } from '../../context';
import { admitCall } from '../../limits/call-rate';
import { holdSubscriptionSlot } from '../../limits/subscription-slots';
import { appRouter } from '../../root';
import { OnStatusInput } from '../../routers/ingest';
import { toTRPCError } from '../../trpc';
import { parseVersion } from '../watch-status';
import type { StatusBroadcaster } from './status-broadcaster';
import { StatusSubscriber, type StatusSink, type SubscriberEnd } from './status-subscriber';
import { textFrame } from './text-frame';

const PATH = 'ingest.onStatus';
const OPEN = 1; // WebSocket.OPEN
const config = appRouter._def._config;

// The data frames are written pre-serialized, as tRPC would write them with no transformer.
const probe = {};
if (config.transformer.output.serialize(probe) !== probe)
  throw new Error('ingest.onStatus frames are written as JSON: a tRPC transformer needs them rebuilt');

/** What this needs of a `ws` WebSocket. */
export interface SubscriberSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  send(data: Buffer, options: { binary: boolean }): void;
}

/**
 * The connection under a WebSocket (the socket its HTTP upgrade was handed to `ws`): status
 * frames are written to it whole (`textFrame`), one write each. Sound only while `ws` writes its
 * own frames synchronously, in call order, to the same connection: without permessage-deflate
 * and Blob sends (this server uses neither), the only cases in which `ws` queues them.
 */
export type FrameConnection = { readonly writable: boolean; write(frame: Buffer): unknown };

type Id = string | number;
type Jsonrpc = '2.0' | undefined;
type Held = { taskId: string; subscriber: StatusSubscriber; jsonrpc: Jsonrpc; input: unknown; release: () => void };

export type SocketSubscriptionsDeps = {
  broadcaster: StatusBroadcaster;
  /** Bytes queued on a socket past which its non-terminal updates are skipped to the newest. */
  highWaterBytes: number;
  /** Called as tRPC's `onError` would be for this procedure. */
  onError?: (opts: { error: TRPCError; path: string; ctx: TrpcContext }) => void;
};

/**
 * `ingest.onStatus` over one WebSocket, answered here instead of by tRPC's handler, in tRPC's
 * own wire format: `started`, tracked `data` frames (`result.id` = the version, which the client
 * sends back as lastEventId), `stopped` after the terminal state or `subscription.stop`, errors
 * shaped by the router's error formatter. Everything else on the socket goes to tRPC.
 */
export class SocketSubscriptions {
  private readonly held = new Map<Id, Held>();
  private readonly sink: StatusSink;

  /** `connection`: where to write status frames whole; without it they go through `socket.send`. */
  constructor(
    private readonly socket: SubscriberSocket,
    private readonly ctx: TrpcContext,
    private readonly deps: SocketSubscriptionsDeps,
    connection?: FrameConnection,
  ) {
    const send = connection
      ? (payload: Buffer) => connection.writable && connection.write(textFrame(payload))
      : (payload: Buffer) => socket.send(payload, { binary: false });
    this.sink = {
      get congested() {
        return socket.bufferedAmount > deps.highWaterBytes;
      },
      write(payload) {
        if (socket.readyState === OPEN) send(payload);
      },
    };
  }

  /**
   * Takes the messages this answers out of a client frame (one message or a batch); returns what
   * is left for tRPC: the frame itself when nothing was taken, undefined when everything was.
   */
  take(text: string): string | undefined {
    // A backslash may spell either name in JSON escapes: such a frame is parsed to be sure, or an
    // onStatus subscription would reach tRPC's path beside ours, unseen by our duplicate-id check.
    if (!text.includes(PATH) && !text.includes('subscription.stop') && !text.includes('\\')) return text;
    let batch: boolean;
    let raw: unknown[];
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = JSON.parse(text);
      batch = Array.isArray(json);
      raw = Array.isArray(json) ? json : [json];
      // Checked as tRPC checks them: one malformed message and tRPC answers the whole frame with
      // PARSE_ERROR, serving none of it (a non-string lastEventId included), so it gets it all.
      messages = raw.map((m) => parseTRPCMessage(m, config.transformer));
    } catch {
      return text; // tRPC answers the parse error
    }
    const rest = raw.filter((_, i) => !this.handle(messages[i]!));
    if (rest.length === raw.length) return text;
    if (rest.length === 0) return undefined;
    return JSON.stringify(batch ? rest : rest[0]);
  }

  /** The socket closed: its subscriptions end without a word. */
  close(): void {
    for (const [id, held] of this.held) {
      this.release(id, held);
      this.deps.broadcaster.unsubscribe(held.taskId, held.subscriber);
    }
  }

  private handle(message: TRPCClientOutgoingMessage): boolean {
    if (message.id === null) return false;
    if (message.method === 'subscription.stop') return this.stop(message.id);
    if (message.method !== 'subscription' || message.params.path !== PATH) return false;
    this.subscribe(message.id, message.jsonrpc, message.params);
    return true;
  }

  private subscribe(id: Id, jsonrpc: Jsonrpc, params: { input: unknown; lastEventId?: string }): void {
    // As tRPC does: lastEventId travels beside the input and joins it.
    const { lastEventId } = params;
    let input = params.input;
    if (lastEventId !== undefined) input = isObject(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
    // The call rate is checked first, as tRPC's middleware is: a refusal is the error alone, never started.
    try {
      admitCall(this.ctx);
    } catch (error) {
      return this.fail(id, jsonrpc, input, error);
    }
    const parsed = OnStatusInput.safeParse(input);
    if (!parsed.success)
      return this.fail(id, jsonrpc, input, new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error }));
    if (this.socket.readyState !== OPEN) return;
    if (this.held.has(id)) {
      return this.fail(id, jsonrpc, input, new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` }));
    }
    const { taskId } = parsed.data;
    let release: () => void;
    try {
      release = holdSubscriptionSlot(this.ctx);
    } catch (error) {
      // tRPC has started the subscription when its generator throws: started, error, stopped.
      this.respond({ id, jsonrpc, result: { type: 'started' } });
      this.fail(id, jsonrpc, input, error);
      return this.respond({ id, jsonrpc, result: { type: 'stopped' } });
    }
    this.respond({ id, jsonrpc, result: { type: 'started' } });
    const prefix = `{"id":${JSON.stringify(id)}${jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(jsonrpc)}`}`;
    const resumeAfter = parseVersion(parsed.data.lastEventId);
    const subscriber = new StatusSubscriber(this.sink, prefix, resumeAfter, (end) => this.ended(id, end));
    this.held.set(id, { taskId, subscriber, jsonrpc, input, release });
    this.ctx.metrics.subscriptions.inc();
    this.deps.broadcaster.subscribe(taskId, subscriber);
  }

  private stop(id: Id): boolean {
    const held = this.held.get(id);
    if (!held) return false; // not one of ours: tRPC's
    this.release(id, held);
    this.deps.broadcaster.unsubscribe(held.taskId, held.subscriber);
    this.respond({ id, jsonrpc: held.jsonrpc, result: { type: 'stopped' } });
    return true;
  }

  /** The broadcast ended the subscription (it is no longer among the task's subscribers). */
  private ended(id: Id, end: SubscriberEnd): void {
    const held = this.held.get(id);
    if (!held) return;
    this.release(id, held);
    if (end === 'not-found') {
      this.fail(id, held.jsonrpc, held.input, new AppError('NOT_FOUND', `No ingestion task ${held.taskId}`));
    }
    this.respond({ id, jsonrpc: held.jsonrpc, result: { type: 'stopped' } });
  }

  private release(id: Id, held: Held): void {
    this.held.delete(id);
    held.release();
    this.ctx.metrics.subscriptions.dec();
  }

  private fail(id: Id, jsonrpc: Jsonrpc, input: unknown, cause: unknown): void {
    const error = getTRPCErrorFromUnknown(toTRPCError(cause));
    this.deps.onError?.({ error, path: PATH, ctx: this.ctx });
    const shape = getTRPCErrorShape({ config, error, type: 'subscription', path: PATH, input, ctx: this.ctx });
    this.respond({ id, jsonrpc, error: shape });
  }

  private respond(message: TRPCResponseMessage): void {
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(transformTRPCResponse(config, message)));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
