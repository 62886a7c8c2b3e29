import type { RouterOutputs } from '@symbology/api';

type QueuePosition = NonNullable<RouterOutputs['ingest']['queuePosition']>;

/** Where a waiting ingestion stands, in words: how many asked for before it still wait too. */
export function queueSentence({ ahead }: QueuePosition): string {
  if (ahead === 0) return 'Queued: this one is next';
  return `Queued: ${ahead} ${ahead === 1 ? 'ingestion' : 'ingestions'} ahead of this one`;
}

/**
 * The panel's message line with the task's place in the queue after it, while it waits and its
 * place is known; otherwise the line alone, as it always reads.
 */
export function withQueuePosition(line: string, position: QueuePosition | null | undefined): string {
  return position ? `${line} · ${queueSentence(position)}` : line;
}
