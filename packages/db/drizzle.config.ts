import { defineConfig } from 'drizzle-kit';

// `generate` only diffs the schema files against the committed migrations: no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
