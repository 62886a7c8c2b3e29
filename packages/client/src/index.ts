export { createSymbologyClient, type SymbologyClient, type SymbologyClientOptions } from './client';
