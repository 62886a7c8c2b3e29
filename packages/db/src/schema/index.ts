export * from './task-status';
export * from './company-data';
