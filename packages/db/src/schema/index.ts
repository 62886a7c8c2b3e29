export * from './task-status';
export * from './company-data';
export * from './edgar-tickers';
