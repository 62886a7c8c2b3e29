import { evolve, parseEventOn, type IngestEvent, type StreamEntry, type TaskStatus } from '@symbology/contracts';

type Track = {
  /** Founded: the status holds every event of the task up to `lastSeq` (undefined: no event yet). */
  founded: boolean;
  status: TaskStatus | undefined;
  /** Not founded yet: the task's events seen since the edge started, waiting for a base. */
  events: { seq: number; event: IngestEvent }[];
  lastSeq: number;
  /** Not founded: a base must hold the task's events through this (see `replace`). */
  baseFrom?: number;
};

export type EdgeLimits = {
  /** Tasks held (founded or waiting); the least recently changed goes first. */
  maxTracks: number;
  /** Events held for tasks waiting for a base. */
  maxRetained: number;
};

export const DEFAULT_EDGE_LIMITS: EdgeLimits = { maxTracks: 5_000, maxRetained: 20_000 };

/** What applying one stream entry did. */
export type EdgeStep =
  { kind: 'status'; status: TaskStatus } | { kind: 'gap'; from: number; to: number } | { kind: 'none' };

/**
 * The web process's own fold of the INGEST stream: the same pure `evolve` the projector runs, on
 * the same stream sequences (the status version), so a status the edge computes is exactly the
 * one the projector will write at that version.
 *
 * The edge reads the stream from where it started, so a task that began before needs a base: a
 * projected status together with the checkpoint it is complete through (`found`). It is used
 * only if the edge holds every event of the task after that checkpoint; else (the projector
 * behind the edge's start, events dropped for memory, a gap in the sequence) the task waits for
 * a later base, and its subscribers live on the projector's announcements and reads meanwhile.
 */
export class EdgeTracks {
  private readonly tracks = new Map<string, Track>();
  private retained = 0;
  /** The last sequence applied; every one from `startSeq` to here was seen, in order. */
  private head: number;
  /** Events at or below this may be missing from the tracks (dropped, or never seen). */
  private forgottenThrough: number;

  constructor(
    /** The first stream sequence this edge reads. */
    startSeq: number,
    private readonly limits: EdgeLimits = DEFAULT_EDGE_LIMITS,
    /** Tracks with subscribers are kept over others when memory runs short. */
    private readonly isWatched: (taskId: string) => boolean = () => false,
  ) {
    this.head = startSeq - 1;
    this.forgottenThrough = startSeq - 1;
  }

  get lastSeq(): number {
    return this.head;
  }

  get size(): { tracks: number; retainedEvents: number } {
    return { tracks: this.tracks.size, retainedEvents: this.retained };
  }

  /** The status of a founded task (undefined: not founded, or founded with no event yet). */
  current(taskId: string): TaskStatus | undefined {
    const track = this.tracks.get(taskId);
    return track?.founded ? track.status : undefined;
  }

  /** Applies the next stream entry, in sequence order. */
  apply(entry: StreamEntry): EdgeStep {
    if (entry.seq <= this.head) return { kind: 'none' };
    let step: EdgeStep = { kind: 'none' };
    if (entry.seq !== this.head + 1) {
      // Sequences never seen: any task may have lost an event. Start over from here.
      step = { kind: 'gap', from: this.head + 1, to: entry.seq - 1 };
      this.forget(entry.seq - 1);
    }
    this.head = entry.seq;
    const parsed = parseEventOn(entry.subject, entry.payload);
    // The projector dead-letters what does not parse and folds on: so does the edge.
    if (!parsed.ok) return step;
    const { event } = parsed;
    const track = this.touch(event.taskId);
    track.lastSeq = Math.max(track.lastSeq, entry.seq);
    if (!track.founded) {
      track.events.push({ seq: entry.seq, event });
      this.retained++;
      this.evict();
      return step;
    }
    const next = evolve(track.status, event, entry.seq);
    if (next === track.status) return step;
    track.status = next;
    this.evict();
    return step.kind === 'gap' ? step : { kind: 'status', status: next };
  }

  /**
   * Offers a base for a task: its projected status (undefined: not projected) holding every event
   * of the task up to `coveredThrough`. Returns the task's status on the edge when it is (now)
   * founded, else undefined.
   */
  found(
    taskId: string,
    projected: TaskStatus | undefined,
    coveredThrough: number,
  ): { status: TaskStatus | undefined } | undefined {
    const track = this.tracks.get(taskId);
    if (track?.founded) return { status: track.status };
    if (coveredThrough < Math.max(this.forgottenThrough, track?.baseFrom ?? 0)) return undefined;
    let status = projected;
    for (const { seq, event } of track?.events ?? []) if (seq > coveredThrough) status = evolve(status, event, seq);
    const founded = this.touch(taskId);
    this.retained -= founded.events.length;
    Object.assign(founded, { founded: true, status, events: [], lastSeq: Math.max(founded.lastSeq, coveredThrough) });
    delete founded.baseFrom;
    this.evict();
    return { status };
  }

  /**
   * Takes the projector's status of a task in place of the edge's own at that version: it differs
   * from a plain fold of the stream there (an event set aside, rows rebuilt). A founded task the
   * edge has not folded past that version continues from it; otherwise (events folded past it on
   * the wrong base, or the task waiting for a base) the task waits for a base holding every event
   * it has folded, and its events up to the version are not folded again. Returns the version the
   * edge had handed out for the task when it had to let go of it: its subscribers may hold a wrong
   * status up to there.
   */
  replace(status: TaskStatus): { droppedThrough: number | undefined } {
    const track = this.touch(status.taskId);
    if (track.founded && track.lastSeq <= status.version) {
      Object.assign(track, { status, lastSeq: status.version });
      return { droppedThrough: undefined };
    }
    const handedOut = track.founded ? track.status?.version : undefined;
    const kept = track.events.filter(({ seq }) => seq > status.version);
    this.retained -= track.events.length - kept.length;
    const baseFrom = Math.max(track.baseFrom ?? 0, status.version, track.founded ? track.lastSeq : 0);
    Object.assign(track, { founded: false, status: undefined, events: kept, baseFrom });
    track.lastSeq = Math.max(track.lastSeq, status.version);
    return { droppedThrough: handedOut };
  }

  private touch(taskId: string): Track {
    const track = this.tracks.get(taskId) ?? { founded: false, status: undefined, events: [], lastSeq: 0 };
    // Map order is least recently changed first.
    this.tracks.delete(taskId);
    this.tracks.set(taskId, track);
    return track;
  }

  private evict(): void {
    for (const [taskId, track] of this.tracks) {
      if (this.tracks.size <= this.limits.maxTracks && this.retained <= this.limits.maxRetained) return;
      if (!this.isWatched(taskId)) this.drop(taskId, track);
    }
  }

  private drop(taskId: string, track: Track): void {
    this.tracks.delete(taskId);
    this.retained -= track.events.length;
    this.forgottenThrough = Math.max(this.forgottenThrough, track.lastSeq);
  }

  private forget(through: number): void {
    this.tracks.clear();
    this.retained = 0;
    this.forgottenThrough = through;
  }
}
