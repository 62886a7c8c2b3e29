import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const globalSetup = ['./tooling/dev-services/src/vitest-global-setup.ts'];

/** A test level: files named `*.<level>.test.ts` beside the code (see CONVENTIONS). */
function level(
  name: 'unit' | 'int' | 'fuzz' | 'e2e' | 'chaos',
  groupOrder: number,
  options: TestProjectInlineConfiguration['test'] = {},
) {
  return {
    test: {
      name,
      // Levels run in order, so a broken unit test fails the run before the slow levels start.
      sequence: { groupOrder },
      include: [`{apps,packages,tooling}/**/src/**/*.${name}.test.ts`, `scripts/**/*.${name}.test.ts`],
      exclude: ['**/node_modules/**', '**/.next/**'],
      ...options,
    },
  } satisfies TestProjectInlineConfiguration;
}

export default defineConfig({
  test: {
    projects: [
      level('unit', 0),
      // Real nats-server and Postgres: each file starts its own server and database; two cores.
      level('int', 1, { globalSetup, testTimeout: 60_000, hookTimeout: 120_000, maxWorkers: 2 }),
      // Hostile input on the real services: generated EDGAR documents and oversized events
      // (tooling/fuzz), the web edge's attacks beside a normal user who must still be served
      // (apps/web). One file at a time: each runs real processes and some measure their memory.
      level('fuzz', 2, { globalSetup, testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false }),
      // The whole system and a real browser, one file at a time.
      level('e2e', 3, { globalSetup, testTimeout: 180_000, hookTimeout: 600_000, fileParallelism: false }),
      // Faults on a three-node JetStream cluster (tooling/chaos): real processes killed, stopped,
      // skewed. One file at a time: each starts three nats-servers and the services.
      level('chaos', 4, { globalSetup, testTimeout: 240_000, hookTimeout: 120_000, fileParallelism: false }),
    ],
  },
});
