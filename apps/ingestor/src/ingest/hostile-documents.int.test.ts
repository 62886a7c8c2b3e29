import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { IngestEvent } from '@symbology/contracts';
import { byType } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXTRACTION_LIMITS } from '../edgar/extraction/extraction-limits';
import { FIXTURES_DIR } from '../edgar/test-data';
import type { Ingestor } from '../ingestor';
import { startHarness, type Harness } from '../testing/harness';

const SYMB_FOLDER = 'www.sec.gov/Archives/edgar/data/9999999';
const FY2025 = `${SYMB_FOLDER}/000999999926000004/symb-20251231.htm`;
/** The primary documents of the fixture company's five 10-Ks. */
const SYMB_DOCUMENTS = [
  '000999999922000002/symb-20211231.htm',
  '000999999923000002/symb-20221231.htm',
  '000999999924000002/symb-20231231.htm',
  '000999999925000002/symb-20241231.htm',
  '000999999926000004/symb-20251231.htm',
].map((doc) => `${SYMB_FOLDER}/${doc}`);
const failures = (events: IngestEvent[]) =>
  events.flatMap((e) => (e.type === 'FilingFailed' ? [[e.data.error.code, e.data.error.message]] : []));

/** The document with `padding` before its closing body tag, or at its end where it has none. */
const padded = (html: string, padding: string) =>
  html.includes('</body>') ? html.replace('</body>', `${padding}</body>`) : html + padding;

describe('an ingestion task given hostile primary documents', () => {
  let h: Harness;
  let root: string;
  let ingestor: Ingestor | undefined;
  const restart = async (overrides: Parameters<Harness['start']>[0]) => {
    await ingestor?.stop();
    await h.forgetFilings();
    ingestor = await h.start(overrides);
  };
  const textMissing = (events: IngestEvent[]) =>
    events.flatMap((e) =>
      e.type === 'FilingCompleted'
        ? e.data.missing.filter((m) => m.part !== 'facts').map((m) => [m.code, m.message])
        : [],
    );

  beforeAll(async () => {
    // The mirror serves the first root that has a file: this one holds only the damaged 10-K.
    root = mkdtempSync(join(tmpdir(), 'hostile-edgar-'));
    const original = readFileSync(join(FIXTURES_DIR, FY2025));
    const at = original.indexOf('builds software');
    const damaged = Buffer.concat([
      original.subarray(0, at),
      Buffer.from([0x62, 0x75, 0x00, 0x69, 0x6c, 0x64, 0x73, 0xed, 0xa0, 0x80]), // "bu\0ilds" + an encoded lone surrogate
      original.subarray(at + 'builds'.length),
    ]);
    mkdirSync(dirname(join(root, FY2025)), { recursive: true });
    writeFileSync(join(root, FY2025), damaged);
    h = await startHarness({ roots: [root, FIXTURES_DIR] });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a 10-K with a raw NUL byte inside Item 1 in Postgres, cleaned, and completes every filing', async () => {
    await restart({});
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(failures(events)).toEqual([]);
    const [row] = await h.sql<{ text: string }[]>`
      select text from filing_sections where accession = '0009999999-26-000004' and section = 'business'`;
    expect(row?.text).toMatch(/^Item 1\. Business\n\n/);
    // The NUL is gone; the three bytes of an encoded surrogate are invalid UTF-8 and decode to U+FFFD each.
    expect(row?.text).toContain('builds\ufffd\ufffd\ufffd software that turns public company filings');
  });

  it('reads a windows-1252 document (declared, or not declared at all) as such: raw no-break spaces and curly quotes intact', async () => {
    // Older filings and some filing agents' are ISO-8859-1 / windows-1252, with raw bytes such as
    // 0xA0 (no-break space) and 0x93/0x94 (curly quotes); read as UTF-8 each would be U+FFFD.
    const legacy = (path: string, declaration: string) => {
      const html = readFileSync(join(FIXTURES_DIR, path), 'latin1')
        .replace('<?xml version="1.0" encoding="utf-8"?>', declaration)
        .replaceAll('&#160;', '\xa0')
        .replace('builds software', 'builds \x93software\x94');
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), html, 'latin1');
    };
    const [fy2021, , fy2023, fy2024] = SYMB_DOCUMENTS as [string, string, string, string];
    legacy(fy2024, '<?xml version="1.0" encoding="windows-1252"?>');
    legacy(fy2023, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">');
    legacy(fy2021, '');
    await restart({});
    const events = await h.waitForTerminal(await h.request('SYMB')).finally(() => {
      for (const path of [fy2021, fy2023, fy2024]) rmSync(join(root, path));
    });
    expect(failures(events)).toEqual([]);
    expect(textMissing(events)).toEqual([]);
    const rows = await h.sql<{ accession: string; text: string }[]>`
      select accession, text from filing_sections where section = 'business'
      and accession in ('0009999999-25-000002', '0009999999-24-000002', '0009999999-22-000002') order by accession`;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.text).toContain('builds \u201csoftware\u201d that turns');
      expect(row.text).not.toContain('\ufffd');
    }
  });

  it('records the text of a 10-K EDGAR answers with an empty body as missing and retryable, not as sections it lacks', async () => {
    const empty = SYMB_DOCUMENTS[3]!;
    mkdirSync(dirname(join(root, empty)), { recursive: true });
    writeFileSync(join(root, empty), ' \r\n');
    await restart({});
    const events = await h.waitForTerminal(await h.request('SYMB')).finally(() => rmSync(join(root, empty)));
    expect(failures(events)).toEqual([]);
    const filing = byType(events, 'FilingCompleted').find((e) => e.data.accession === '0009999999-25-000002')!;
    expect(filing.data).toMatchObject({ outcome: 'partial', sectionsStored: 0 });
    expect(filing.data.missing.map((m) => [m.part, m.code, m.retryable])).toEqual(
      ['business', 'risk_factors', 'mdna'].map((part) => [part, 'malformed', true]),
    );
    expect(filing.data.missing[0]?.message).toMatch(/empty/);
    expect(textMissing(events)).toHaveLength(3);
  });

  it('keeps the facts of each filing (partial, text missing with extraction_timeout) when cutting outlasts the budget', async () => {
    // Each document padded with 2 MB of paragraphs, so that cutting it takes well over the 1 ms
    // budget even on an idle machine (the fixtures alone are cut in about a millisecond).
    const saved = SYMB_DOCUMENTS.map(
      (path) =>
        [path, readFileSync(existsSync(join(root, path)) ? join(root, path) : join(FIXTURES_DIR, path))] as const,
    );
    const padding = '<p>Padding paragraph.</p>'.repeat(80_000);
    for (const [path, body] of saved) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), padded(body.toString('latin1'), padding), 'latin1');
    }
    await restart({ extraction: { ...DEFAULT_EXTRACTION_LIMITS, timeoutMs: 1 } });
    const events = await h.waitForTerminal(await h.request('SYMB')).finally(() => {
      for (const [path, body] of saved) writeFileSync(join(root, path), body);
    });
    expect(failures(events)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 0, partial: 5, failed: 0 } });
    expect(textMissing(events)).toHaveLength(15);
    for (const [code, message] of textMissing(events)) {
      expect(code).toBe('extraction_timeout');
      expect(message).toMatch(/^Cutting the text sections took longer than 0\.001 s \(EXTRACT_TIMEOUT_MS\)/);
    }
    const [facts] = await h.sql<{ n: number }[]>`select count(distinct accession)::int as n from financial_facts`;
    expect(facts?.n).toBe(5);
  });

  it('keeps the facts of each filing (partial, text missing with document_too_large) when a document passes EDGAR_MAX_DOCUMENT_BYTES', async () => {
    await restart({ edgar: { ...h.config().edgar, maxDocumentBytes: 4_096 } });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(failures(events)).toEqual([]);
    expect(textMissing(events)).toHaveLength(15);
    for (const [code, message] of textMissing(events)) {
      expect(code).toBe('document_too_large');
      expect(message).toMatch(/is larger than 0\.00 MB \(EDGAR_MAX_DOCUMENT_BYTES\)/);
    }
  });
});
