import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin-check';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('isOriginAllowed', () => {
  it('allows the page own origin by default and refuses another site', () => {
    expect(isOriginAllowed(req({ host: 'app:3000', origin: 'http://app:3000' }), [])).toBe(true);
    expect(isOriginAllowed(req({ host: 'app:3000', origin: 'https://evil.example' }), [])).toBe(false);
  });
  it('uses the configured list when there is one', () => {
    expect(isOriginAllowed(req({ host: 'api:1', origin: 'https://ui.example' }), ['https://ui.example'])).toBe(true);
    expect(isOriginAllowed(req({ host: 'api:1', origin: 'http://api:1' }), ['https://ui.example'])).toBe(false);
  });
  it('lets a non-browser client without Origin through', () => {
    expect(isOriginAllowed(req({ host: 'api:1' }), [])).toBe(true);
  });
});
