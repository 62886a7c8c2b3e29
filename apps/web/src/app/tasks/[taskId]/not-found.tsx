import { NotFoundCard } from '~/components/not-found-card';

/** /tasks/<id> for an id that is not a task (malformed, or no task has it): HTTP 404. */
export default function TaskNotFound() {
  return (
    <NotFoundCard title="Task not found">
      <p>No ingestion task has this id. Task links come from the progress panel of an ingestion.</p>
    </NotFoundCard>
  );
}
