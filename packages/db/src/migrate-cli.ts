import { runMigrations } from './migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set: point it at the Postgres database to migrate, e.g. postgres://postgres@127.0.0.1:5432/symbology',
  );
  process.exit(2);
}
const started = Date.now();
await runMigrations(url);
console.log(`migrations applied in ${Date.now() - started} ms`);
