import { SEARCH_QUERY_MAX_LENGTH, TickerSchema } from '@symbology/contracts';
import { z } from 'zod';
import { findCompanyByTicker } from '../company/find-company';
import { searchCompanies } from '../company/search-companies';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const companyRouter = createTRPCRouter({
  byTicker: publicProcedure
    .input(z.object({ ticker: TickerSchema }))
    .query(({ ctx, input }) => findCompanyByTicker(ctx.db, input.ticker)),

  search: publicProcedure
    .input(
      z.object({
        query: z.string().trim().min(1).max(SEARCH_QUERY_MAX_LENGTH),
        limit: z.number().int().min(1).max(20).default(8),
      }),
    )
    .query(({ ctx, input }) => searchCompanies(ctx.db, input.query, input.limit)),
});
