import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repo's invented EDGAR responses (the fictional SYMB, FLKY, NOAR): always present. */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/edgar', import.meta.url));
/** The recorded real SEC responses beside the checkout; absent on some machines, so tests skip. */
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/edgar', import.meta.url));
export const hasShared = existsSync(SHARED_DIR);

export function readJson(root: string, urlPath: string): unknown {
  return JSON.parse(readFileSync(`${root}/${urlPath}`, 'utf8'));
}

export function readText(root: string, urlPath: string): string {
  return readFileSync(`${root}/${urlPath}`, 'utf8');
}
