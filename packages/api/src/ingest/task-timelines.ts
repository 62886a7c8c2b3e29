import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { INGEST_STREAM, parseEvent, subjects, type IngestEvent } from '@symbology/contracts';
import { describeEvent } from './describe-event';

export type TaskEventView = {
  seq: number;
  type: string;
  occurredAt: string | null;
  summary: string;
  /** The filing a per-filing event is about (the task page times each filing with it); null otherwise. */
  accession: string | null;
};

/** A task's timeline as far as it has been read: every event up to stream sequence `lastSeq`. */
type Timeline = { lastSeq: number; events: TaskEventView[] };

const MAX_EVENTS = 500;

/**
 * Each task's event timeline, read from the stream (the source of truth) with direct gets by
 * subject: no consumer is created, so a client refetching it costs the server no state. The
 * first read starts at the task's IngestRequested (found by its exact subject); each later read
 * continues after the last sequence held, so an unchanged task costs nothing and a changed one
 * only its new events. One direct get per event: nats-server 2.10 has no batched direct get
 * (2.11's `getBatch` would make a cold read one round trip).
 *
 * Bounded: at most `maxTasks` timelines, least recently used evicted first; concurrent reads of
 * one task share one walk of the stream.
 */
export class TaskTimelines {
  private readonly cache = new Map<string, Timeline>();
  private readonly reading = new Map<string, Promise<Timeline>>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly maxTasks = 1_000,
  ) {}

  /**
   * The timeline of a task known to exist, complete at least up to `version` (the stream
   * sequence of the last event the projection folded): cached when it already is.
   */
  async read(taskId: string, version: number): Promise<TaskEventView[]> {
    const cached = this.cache.get(taskId);
    if (cached && cached.lastSeq >= version) {
      this.remember(taskId, cached);
      return cached.events;
    }
    let pending = this.reading.get(taskId);
    if (!pending) {
      pending = this.readMore(taskId, cached).finally(() => this.reading.delete(taskId));
      this.reading.set(taskId, pending);
    }
    const timeline = await pending;
    this.remember(taskId, timeline);
    return timeline.events;
  }

  private async readMore(taskId: string, from: Timeline | undefined): Promise<Timeline> {
    const events = [...(from?.events ?? [])];
    let lastSeq = from?.lastSeq ?? 0;
    let next: StoredMsg | null =
      from === undefined
        ? await this.jsm.direct.getMessage(INGEST_STREAM, { last_by_subj: subjects.event(taskId, 'IngestRequested') })
        : await this.nextAfter(taskId, lastSeq);
    while (next && events.length < MAX_EVENTS) {
      events.push(toView(next));
      lastSeq = next.seq;
      next = await this.nextAfter(taskId, lastSeq);
    }
    return { lastSeq, events };
  }

  private nextAfter(taskId: string, seq: number): Promise<StoredMsg | null> {
    return this.jsm.direct.getMessage(INGEST_STREAM, { next_by_subj: subjects.task(taskId), seq: seq + 1 });
  }

  private remember(taskId: string, timeline: Timeline): void {
    // Re-insert so the Map's order is least recently used first.
    this.cache.delete(taskId);
    this.cache.set(taskId, timeline);
    if (this.cache.size > this.maxTasks) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function toView(m: StoredMsg): TaskEventView {
  const parsed = parseEvent(m.data);
  return parsed.ok
    ? {
        seq: m.seq,
        type: parsed.event.type,
        occurredAt: parsed.event.occurredAt,
        summary: describeEvent(parsed.event),
        accession: accessionOf(parsed.event),
      }
    : {
        seq: m.seq,
        type: parsed.type ?? 'Unreadable',
        occurredAt: null,
        summary: `Skipped: ${parsed.message}`,
        accession: null,
      };
}

const accessionOf = (event: IngestEvent): string | null =>
  'accession' in event.data && typeof event.data.accession === 'string' ? event.data.accession : null;
