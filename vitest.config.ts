import { defineConfig } from 'vitest/config';

const globalSetup = ['./tooling/dev-services/src/vitest-global-setup.ts'];

// One run, three levels told apart by file name (see CONVENTIONS: *.unit / *.int / *.e2e).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{apps,packages,tooling}/**/src/**/*.unit.test.ts', 'scripts/**/*.unit.test.ts'],
          exclude: ['**/node_modules/**', '**/.next/**'],
        },
      },
      {
        test: {
          name: 'int',
          sequence: { groupOrder: 1 },
          globalSetup,
          include: ['{apps,packages,tooling}/**/src/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/.next/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts its own nats-server and database; two cores, so few at once.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          globalSetup,
          include: ['{apps,packages,tooling}/**/src/**/*.e2e.test.ts', 'scripts/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**', '**/.next/**'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
