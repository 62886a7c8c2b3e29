import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { companyRouter } from './routers/company';
import { filingRouter } from './routers/filing';
import { ingestRouter } from './routers/ingest';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  company: companyRouter,
  ingest: ingestRouter,
  filing: filingRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
