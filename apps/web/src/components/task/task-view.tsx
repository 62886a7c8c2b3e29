'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '~/trpc/react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { IngestionPanel } from '../ingestion-panel';
import { EventTimeline } from './event-timeline';
import { TimingChart } from './timing-chart';

export function TaskView({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useTaskStatus(taskId);
  // The same cache entry the timeline reads (and refreshes on each new status version).
  const events = useQuery(trpc.ingest.events.queryOptions({ taskId }));
  return (
    <div className="stack">
      <h1>Task {taskId}</h1>
      <IngestionPanel
        taskId={taskId}
        navigateOnDone={false}
        showTaskLink={false}
        onRetry={(id) => router.push(`/tasks/${id}`)}
      />
      {status && events.data && <TimingChart events={events.data} filings={status.filings} />}
      <EventTimeline taskId={taskId} version={status?.version} />
    </div>
  );
}
