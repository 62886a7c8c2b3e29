'use client';

import { useTaskStatus } from '~/trpc/use-task-status';
import { IngestionPanel } from '../ingestion-panel';
import { EventTimeline } from './event-timeline';

export function TaskView({ taskId }: { taskId: string }) {
  const { status } = useTaskStatus(taskId);
  return (
    <div className="stack">
      <h1>Task {taskId}</h1>
      <IngestionPanel taskId={taskId} navigateOnDone={false} showTaskLink={false} />
      {status?.status === 'completed' && (
        <p>
          <a href={`/companies/${encodeURIComponent(status.ticker)}`}>Open {status.company?.name ?? status.ticker}</a>
        </p>
      )}
      <EventTimeline taskId={taskId} version={status?.version} />
    </div>
  );
}
