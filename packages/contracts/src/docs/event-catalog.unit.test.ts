import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEventCatalog } from './event-catalog';

const DOC = new URL('../../../../docs/events.md', import.meta.url);
const BEGIN = '<!-- generated:event-catalog -->';
const END = '<!-- /generated:event-catalog -->';

describe('docs/events.md', () => {
  it('carries the catalog generated from the zod schemas (run `pnpm docs:events` after a schema change)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const generated = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
    expect(generated).toBe(renderEventCatalog().trim());
  });

  it('says a nullable object may be null (a status has no company until CompanyResolved)', () => {
    expect(renderEventCatalog()).toMatch(/\| `company` \| object \\\| null \| yes \|/);
  });

  it('documents every field of FilingCompleted', () => {
    expect(renderEventCatalog()).toMatch(/\| `primaryDocumentUrl` \| string \(uri\) \| yes \|/);
  });
});
