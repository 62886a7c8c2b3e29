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
      <EventTimeline taskId={taskId} version={status?.version} />
    </div>
  );
}
