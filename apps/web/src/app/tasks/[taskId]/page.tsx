import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { TaskView } from '~/components/task/task-view';
import { dehydrated, getQueryClient, serverTrpc } from '~/trpc/server';

type Props = { params: Promise<{ taskId: string }> };

export const metadata: Metadata = { title: 'Ingestion task · Symbology' };

const isNotFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 'NOT_FOUND';

/** A task page starts from the task's status and timeline read on the server; an unknown or malformed id is a 404. */
export default async function TaskPage({ params }: Props) {
  const taskId = z.uuid().safeParse((await params).taskId);
  if (!taskId.success) notFound();
  const trpc = serverTrpc();
  const queryClient = getQueryClient();
  try {
    await Promise.all([
      queryClient.fetchQuery(trpc.ingest.status.queryOptions({ taskId: taskId.data })),
      queryClient.fetchQuery(trpc.ingest.events.queryOptions({ taskId: taskId.data })),
    ]);
  } catch (error) {
    if (isNotFound(error)) notFound();
    throw error;
  }
  return (
    <HydrationBoundary state={dehydrated()}>
      <TaskView taskId={taskId.data} />
    </HydrationBoundary>
  );
}
