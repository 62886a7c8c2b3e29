export * from './client';
export * from './schema/index';
export { runMigrations, MIGRATIONS_FOLDER } from './migrate';
