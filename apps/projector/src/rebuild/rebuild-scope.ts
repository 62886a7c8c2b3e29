import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, parseIngestSubject, subjects } from '@symbology/contracts';
import { EmptyRebuildScopeError } from '../errors';
import { readRange } from '../stream/read-range';

export type RebuildScope = { kind: 'all' } | { kind: 'task'; taskId: string } | { kind: 'from-seq'; fromSeq: number };

/** What a rebuild replays and which tasks it owns. */
export type ResolvedScope = {
  scope: RebuildScope;
  /** Subject filter of the first replay (only a single task narrows it). */
  filter: string | undefined;
  /** Messages the first replay will read, for the progress bar. */
  expected: number;
  /**
   * The tasks folded and replaced in the live tables; undefined means all of them. Fixed when
   * the rebuild starts: a task that only gets events later is not in the scope (its history
   * before that would be missing from the fold), and the live projector keeps it up to date.
   */
  taskIds: string[] | undefined;
};

/**
 * `all`: every task. `task`: one task's whole history. `from-seq N`: every task that has an
 * event at seq >= N, re-folded from its whole history (the tasks a bug since N could have
 * touched); others are left as they are.
 */
export async function resolveScope(
  js: JetStreamClient,
  jsm: JetStreamManager,
  scope: RebuildScope,
  target: number,
): Promise<ResolvedScope> {
  switch (scope.kind) {
    case 'all':
      return { scope, filter: undefined, expected: target, taskIds: undefined };
    case 'task': {
      const filter = subjects.task(scope.taskId);
      const info = await jsm.streams.info(INGEST_STREAM, { subjects_filter: filter });
      const expected = Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
      // A mistyped id would otherwise "rebuild" nothing and report success.
      if (expected === 0)
        throw new EmptyRebuildScopeError(
          `stream ${INGEST_STREAM} holds no event of task ${scope.taskId}: check the task id (symbology status <taskId>)`,
        );
      return { scope, filter, expected, taskIds: [scope.taskId] };
    }
    case 'from-seq': {
      const ids = new Set<string>();
      for await (const chunk of readRange(js, { fromSeq: scope.fromSeq, toSeq: target, headersOnly: true })) {
        for (const e of chunk) {
          const parsed = parseIngestSubject(e.subject);
          if (parsed) ids.add(parsed.taskId);
        }
      }
      if (ids.size === 0)
        throw new EmptyRebuildScopeError(
          `no task has an event at seq ${scope.fromSeq} or later: the projection is at seq ${target}, so there is nothing to rebuild`,
        );
      return { scope, filter: undefined, expected: target, taskIds: [...ids] };
    }
    default:
      return assertNever(scope);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown rebuild scope ${JSON.stringify(value)}`);
}
