import { TaskView } from '~/components/task/task-view';

export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  return <TaskView taskId={taskId} />;
}
