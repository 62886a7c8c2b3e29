import type { AppRouter } from '@symbology/api';
import type { QueryClient } from '@tanstack/react-query';
import type { TRPCOptionsProxy } from '@trpc/tanstack-react-query';

/**
 * What a company page reads again once a refresh or retry behind it ended: the company (what is
 * stored) and every filing's sections, since the reader may hold "not stored" for a section the
 * task has just stored.
 */
export function refreshAfterTask(queryClient: QueryClient, trpc: TRPCOptionsProxy<AppRouter>, ticker: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.company.byTicker.queryKey({ ticker }) }),
    queryClient.invalidateQueries(trpc.filing.sections.pathFilter()),
  ]);
}
