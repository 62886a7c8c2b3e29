'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react';

/** The task's events from the stream; re-read whenever the live status moves to a new version. */
export function EventTimeline({ taskId, version }: { taskId: string; version: number | undefined }) {
  const trpc = useTRPC();
  const events = useQuery(trpc.ingest.events.queryOptions({ taskId }));
  const { refetch } = events;
  useEffect(() => {
    if (version !== undefined) void refetch();
  }, [version, refetch]);
  const rows = events.data;
  return (
    <section className="panel" aria-labelledby="events-h">
      <h2 id="events-h">Event timeline</h2>
      {events.error && (
        <p role="alert" className="error">
          {events.error.message}
        </p>
      )}
      {!rows && !events.error && <p className="muted">Loading…</p>}
      {rows && (
        <ol className="events">
          {rows.map((e) => (
            <li key={e.seq} className="events__item">
              <span className="events__seq">#{e.seq}</span>
              <span className="events__type">{e.type}</span>
              <span>{e.summary}</span>
              {e.occurredAt && (
                <time className="muted small" dateTime={e.occurredAt}>
                  {new Date(e.occurredAt).toLocaleTimeString()}
                </time>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
