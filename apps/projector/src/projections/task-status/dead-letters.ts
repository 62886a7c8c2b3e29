import { TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { unnestColumns, withVisibleNul, type Queryable } from '@symbology/db';
import type { DeadLetter } from './fold-batch';
import type { SetAside } from './set-aside';

/** The reasons of events set aside (valid, but not writable or foldable), as opposed to parse failures. */
export const SET_ASIDE_KINDS = ['unwritable', 'unfoldable'] as const;
export type SetAsideKind = (typeof SET_ASIDE_KINDS)[number];
const REASON_MAX = 500;

/** `unwritable: SQLSTATE 22P05 ...`: the reason a dead letter of a set-aside event keeps, capped. */
export function setAsideReason(kind: SetAsideKind, detail: string): string {
  return withVisibleNul(`${kind}: ${detail}`).slice(0, REASON_MAX);
}

export type DeadLetterRecord = {
  id: number;
  subject: string;
  seq: number | null;
  payload: string;
  reason: string;
  at: Date;
  retriedAt: Date | null;
};
type Row = {
  id: string;
  subject: string;
  seq: string | null;
  payload: string;
  reason: string;
  at: Date;
  retried_at: Date | null;
};

const toRecord = (r: Row): DeadLetterRecord => ({
  id: Number(r.id),
  subject: r.subject,
  seq: r.seq === null ? null : Number(r.seq),
  payload: r.payload,
  reason: r.reason,
  at: r.at,
  retriedAt: r.retried_at,
});

/** Records messages the projection could not use, in the batch's transaction. */
export async function insertDeadLetters(sql: Queryable, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const column = unnestColumns(sql, letters);
  await sql`
    insert into dead_letters (source, subject, seq, payload, reason)
    select ${TASK_STATUS_PROJECTION}, * from unnest(
      ${column('text', (l) => l.subject)}::text[],
      ${column('int8', (l) => l.seq)}::bigint[],
      ${column('text', (l) => withVisibleNul(l.payload))}::text[],
      ${column('text', (l) => withVisibleNul(l.reason))}::text[])`;
}

export async function listDeadLetters(
  sql: Queryable,
  options: { includeRetried: boolean; limit: number },
): Promise<DeadLetterRecord[]> {
  const pending = options.includeRetried ? sql`` : sql`and retried_at is null`;
  const rows = await sql<Row[]>`
    select id, subject, seq, payload, reason, at, retried_at from dead_letters
    where source = ${TASK_STATUS_PROJECTION} ${pending} order by id limit ${options.limit}`;
  return rows.map(toRecord);
}

export async function getDeadLetter(sql: Queryable, id: number): Promise<DeadLetterRecord | undefined> {
  const [row] = await sql<Row[]>`
    select id, subject, seq, payload, reason, at, retried_at from dead_letters
    where source = ${TASK_STATUS_PROJECTION} and id = ${id}`;
  return row ? toRecord(row) : undefined;
}

export async function markDeadLetterRetried(sql: Queryable, id: number): Promise<void> {
  await sql`update dead_letters set retried_at = now() where id = ${id}`;
}

export async function countDeadLetters(sql: Queryable): Promise<{ total: number; pending: number }> {
  const [row] = await sql<{ total: number; pending: number }[]>`
    select count(*)::int as total, count(*) filter (where retried_at is null)::int as pending
    from dead_letters where source = ${TASK_STATUS_PROJECTION}`;
  return row ?? { total: 0, pending: 0 };
}

/**
 * The events set aside and not retried since, by sequence: every fold of the projection skips
 * them the same way. `except` leaves one out (the dead letter being retried).
 */
export async function loadSetAside(sql: Queryable, options: { except?: number } = {}): Promise<SetAside> {
  const kinds = SET_ASIDE_KINDS.map((k) => `${k}:%`);
  const rows = await sql<{ seq: string; reason: string }[]>`
    select seq, reason from dead_letters
    where source = ${TASK_STATUS_PROJECTION} and retried_at is null and seq is not null
      and reason like any(${kinds}) and id <> ${options.except ?? 0}`;
  return new Map(rows.map((r) => [Number(r.seq), r.reason]));
}
