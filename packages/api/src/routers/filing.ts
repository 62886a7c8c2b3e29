import { AccessionSchema } from '@symbology/contracts';
import { z } from 'zod';
import { readFilingSections } from '../filing/read-sections';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const filingRouter = createTRPCRouter({
  sections: publicProcedure
    .input(z.object({ accession: AccessionSchema }))
    .query(({ ctx, input }) => readFilingSections(ctx.db, input.accession)),
});
