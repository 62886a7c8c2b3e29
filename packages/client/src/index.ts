export { createSymbologyClient, type SymbologyClient, type SymbologyClientOptions } from './client';
export { watchTaskStatus, type StatusHandlers } from './watch-status';
