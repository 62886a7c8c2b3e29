import type { AppRouter } from '@symbology/api';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import { refreshAfterTask } from './refresh-after-task';

describe('when a refresh or retry behind a company page ends', () => {
  it('given the company and a section read before, then both are read again (the reader is not left stale)', async () => {
    const queryClient = new QueryClient();
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: createTRPCClient<AppRouter>({ links: [] }), queryClient });
    const company = trpc.company.byTicker.queryKey({ ticker: 'SYMB' });
    const sections = trpc.filing.sections.queryKey({ accession: '0009999999-25-000001' });
    const other = trpc.company.byTicker.queryKey({ ticker: 'AAPL' });
    for (const key of [company, sections, other]) queryClient.setQueryData(key, [] as never);

    await refreshAfterTask(queryClient, trpc, 'SYMB');

    expect(queryClient.getQueryState(company)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(sections)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(other)?.isInvalidated).toBe(false);
  });
});
