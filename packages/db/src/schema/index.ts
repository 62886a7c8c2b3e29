// drizzle-kit diffs everything exported here against the committed migrations.
export * from '../task-status/tables';
export * from './projection';
export * from './company-data';
export * from './edgar-tickers';
