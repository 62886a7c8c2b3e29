import { z } from 'zod';
import { TaskFilingStatusSchema, TaskStatusSchema, type TaskFilingStatus, type TaskStatus } from './task-status';

/** The top-level fields a delta may carry (everything but the filings and the version it moves to). */
const DeltaFieldsSchema = TaskStatusSchema.omit({ filings: true, version: true, taskId: true }).partial();

/**
 * What a live subscription sends: the whole status first, then compact deltas, each naming the
 * version it applies to (`from`). A status is ~1.5 kB of JSON; a step of an ingestion changes a
 * handful of fields and one filing, so a delta is a few hundred bytes, and a web process serializes
 * each one once for all its subscribers (they move from the same version to the same version).
 */
export const StatusUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), status: TaskStatusSchema }),
  z.object({
    kind: z.literal('delta'),
    taskId: z.uuid(),
    from: z.number().int().nonnegative(),
    version: z.number().int().nonnegative(),
    set: DeltaFieldsSchema,
    /** Filings replaced in place, by position. */
    filings: z.array(z.object({ index: z.number().int().nonnegative(), filing: TaskFilingStatusSchema })).optional(),
    /** The filing list's new length, when it changed: positions past it are dropped. */
    filingCount: z.number().int().nonnegative().optional(),
  }),
]);
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;
export type StatusDelta = Extract<StatusUpdate, { kind: 'delta' }>;

type DeltaField = keyof StatusDelta['set'];
const DELTA_FIELDS = Object.keys(DeltaFieldsSchema.shape) as DeltaField[];

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The whole status: the first message of a subscription, or after a version the receiver may not hold. */
export function statusSnapshot(status: TaskStatus): StatusUpdate {
  return { kind: 'snapshot', status };
}

/** The delta that turns `prev` into `next` (two versions of one task). */
export function diffStatus(prev: TaskStatus, next: TaskStatus): StatusDelta {
  const set: Record<string, unknown> = {};
  for (const key of DELTA_FIELDS) if (!sameJson(prev[key], next[key])) set[key] = next[key];
  const filings: { index: number; filing: TaskFilingStatus }[] = [];
  next.filings.forEach((filing, index) => {
    if (!sameJson(prev.filings[index], filing)) filings.push({ index, filing });
  });
  return {
    kind: 'delta',
    taskId: next.taskId,
    from: prev.version,
    version: next.version,
    set: set as StatusDelta['set'],
    ...(filings.length > 0 && { filings }),
    ...(prev.filings.length !== next.filings.length && { filingCount: next.filings.length }),
  };
}

/**
 * Applies what a subscription sent to the status the receiver holds from that subscription.
 * Returns undefined when a delta does not apply (another task, or not from the version held):
 * the receiver then keeps what it has and reads the status again.
 */
export function applyStatusUpdate(current: TaskStatus | undefined, update: StatusUpdate): TaskStatus | undefined {
  if (update.kind === 'snapshot') return update.status;
  if (!current || current.taskId !== update.taskId || current.version !== update.from) return undefined;
  const filings = current.filings.slice(0, update.filingCount ?? current.filings.length);
  for (const { index, filing } of update.filings ?? []) filings[index] = filing;
  return { ...current, ...update.set, filings, version: update.version };
}
