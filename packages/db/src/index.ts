export * from './client';
export * from './schema/index';
export * from './raw-sql';
export * from './storable-text';
export * from './task-status/index';
// Migrations are imported from '@symbology/db/migrate': the migrator resolves its SQL folder from
// this file's URL, which bundlers such as Next's cannot follow, so request paths never load it.
export * from './company-data/filing-holdings';
export * from './company-data/company-by-ticker';
