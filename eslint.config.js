import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The deployable apps under apps/: nothing under packages/ or tooling/ may depend on them. */
export const APPS = ['web', 'ingestor', 'projector'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      '.tools/**',
      '.data/**',
      '**/next-env.d.ts',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in the app env.ts only.' },
      ],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits or handles (a consumer loop's lost rejection, an
    // async callback where a sync one is expected) is a bug the types can see.
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The places allowed to read the environment: each app's env.ts, the launcher, the tooling, tests.
    files: [
      '**/env.ts',
      'scripts/**',
      'tooling/**',
      '**/*.test.ts',
      '**/bench/**',
      'packages/db/src/migrate-cli.ts',
      '**/*.config.{ts,js,mjs}',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Arrows point down: apps -> packages -> contracts; tooling uses packages. A package or a tool
    // never imports an app (scripts/import-rule.unit.test.ts proves this rule fires).
    files: ['packages/**', 'tooling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...APPS.flatMap((app) => [`@symbology/${app}`, `@symbology/${app}/*`]), '**/apps/**'],
              message: 'A package never imports an app: move what both need into a package (see docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
);
