import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSections } from './extract-sections';
import { htmlToText } from './html-to-text';
import { foundSections, type SectionExtraction } from './extraction/section-extraction';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readText } from './test-data';

const bySection = (extraction: SectionExtraction) =>
  Object.fromEntries(foundSections(extraction).map((s) => [s.section, s]));

/** Long enough that each section passes the implausibly-short check (MIN_SECTION_BODY_CHARS). */
const FILLER = 'Our operations are described at length here so that the section reads as a real one. '.repeat(4).trim();

const HANDWRITTEN = `<html><body>
<div style="display:none"><ix:header>Item 1. Business hidden</ix:header></div>
<table>
<tr><td>Item 1.</td><td>Business</td><td>2</td></tr>
<tr><td>ITEM 1A.</td><td>Risk Factors</td><td>3</td></tr>
<tr><td>Item 2.</td><td>Properties</td><td>4</td></tr>
<tr><td>Item 7.</td><td>Management&#8217;s Discussion and Analysis</td><td>5</td></tr>
<tr><td>Item 7A.</td><td>Market Risk</td><td>6</td></tr>
<tr><td>Item 8.</td><td>Financial Statements</td><td>7</td></tr>
</table>
<p><b>Item&#160;1.&#160;Business</b></p>
<p>We make widgets &amp; gadgets.</p>
<p>${FILLER}</p>
<p>See Item 7 of this report for results.</p>
<p>2</p>
<p><b>ITEM 1A: RISK FACTORS</b></p>
<p>Widgets may go out of fashion.</p>
<p>${FILLER}</p>
<p><b>Item 2. Properties</b></p>
<p>A shed.</p>
<p><b>Item 7 &#8212; Management&#8217;s Discussion and Analysis</b></p>
<p>Sales rose.</p>
<p>${FILLER}</p>
<p>Item 1A. Risk Factors</p>
<p>Those risks still apply.</p>
<p><b>Item 7A. Market Risk</b></p>
<p>Little.</p>
<p><b>Item 8. Financial Statements</b></p>
<p>BALANCE SHEET</p>
</body></html>`;

describe('extractSections, given a small handwritten 10-K', () => {
  const sections = bySection(extractSections(HANDWRITTEN));

  it('when cut, then Item 1 starts at the body heading, not the TOC, and ends before Item 1A', () => {
    expect(sections.business).toEqual({
      section: 'business',
      title: 'Item 1. Business',
      text: `Item 1. Business\n\nWe make widgets & gadgets.\n\n${FILLER}\n\nSee Item 7 of this report for results.`,
    });
  });

  it('when cut, then Item 1A is found with upper case and a colon, and ends at Item 2', () => {
    expect(sections.risk_factors?.text).toBe(`ITEM 1A: RISK FACTORS\n\nWidgets may go out of fashion.\n\n${FILLER}`);
  });

  it('when MD&A holds a line repeating an earlier item heading, then MD&A runs on to Item 7A, not into Item 8', () => {
    expect(sections.mdna?.title).toBe('Item 7 \u2014 Management\u2019s Discussion and Analysis');
    expect(sections.mdna?.text).toContain('Those risks still apply.');
    expect(sections.mdna?.text).not.toContain('Little.');
    expect(sections.mdna?.text).not.toContain('BALANCE SHEET');
  });

  it('when the form is a 20-F, then nothing is found, since its items are numbered differently', () => {
    expect(foundSections(extractSections(HANDWRITTEN, '20-F'))).toEqual([]);
  });

  it('when the document has no item headings, then each section is missing as not found', () => {
    const extraction = extractSections('<html><body><p>Exhibit 99.1 press release</p></body></html>');
    expect(
      extraction.kind === 'cut' && extraction.sections.map((s) => [s.section, s.status, 'code' in s && s.code]),
    ).toEqual([
      ['business', 'missing', 'section_not_found'],
      ['risk_factors', 'missing', 'section_not_found'],
      ['mdna', 'missing', 'section_not_found'],
    ]);
  });
});

describe('extractSections, given the five SYMB fixture 10-Ks in different heading styles', () => {
  const docs = [
    ['000999999926000004/symb-20251231.htm', 'Item 1A. Risk Factors'],
    ['000999999925000002/symb-20241231.htm', 'ITEM 1A. RISK FACTORS'],
    ['000999999924000002/symb-20231231.htm', 'Item 1A: Risk Factors'],
    ['000999999923000002/symb-20221231.htm', 'Item 1A. Risk Factors'],
    ['000999999922000002/symb-20211231.htm', 'ITEM 1A. RISK FACTORS'],
  ] as const;

  it.each(docs)(
    'when %s is cut, then three sections with their own text and no TOC, script or page footer',
    (path, riskTitle) => {
      const html = readText(FIXTURES_DIR, `www.sec.gov/Archives/edgar/data/9999999/${path}`);
      const sections = bySection(extractSections(html));
      expect(Object.keys(sections)).toEqual(['business', 'risk_factors', 'mdna']);
      expect(sections.risk_factors?.title).toBe(riskTitle);
      expect(sections.business?.text).toContain('builds software that turns public company filings');
      expect(sections.business?.text).not.toMatch(/Risk Factors|Properties \d/i);
      expect(sections.risk_factors?.text).toContain(
        'Rate limits imposed by data providers could delay the Company\u2019s processing & harm',
      );
      expect(sections.risk_factors?.text).not.toContain('None.');
      expect(sections.mdna?.text).toMatch(/^Item 7[.:] ?\n?\n?Management\u2019s Discussion/i);
      expect(sections.mdna?.text).toMatch(/Revenue for fiscal \d{4} was \$\d/);
      expect(sections.mdna?.text).not.toContain('CONSOLIDATED BALANCE SHEETS');
      expect(sections.mdna?.text).not.toContain('exposure to market risk');
      for (const section of Object.values(sections)) {
        expect(section.text).not.toMatch(/Form 10-K \| \d+|never shown|\u00a0/);
      }
    },
  );
});

describe.skipIf(!hasShared)('extractSections, given real 10-Ks', () => {
  // Read in beforeAll: a skipped describe's body still runs while tests are collected.
  let apple: ReturnType<typeof bySection>;
  let tesla: ReturnType<typeof bySection>;
  beforeAll(() => {
    const cut = (path: string) => bySection(extractSections(readText(SHARED_DIR, path)));
    apple = cut('www.sec.gov/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm');
    tesla = cut('www.sec.gov/Archives/edgar/data/1318605/000162828025003063/tsla-20241231.htm');
  });

  it("when Apple's FY2024 10-K is cut, then each section starts with its body heading and its first real sentence", () => {
    expect(apple.business?.text).toMatch(
      /^Item 1\. Business\n\nCompany Background\n\nThe Company designs, manufactures and markets smartphones/,
    );
    expect(apple.risk_factors?.text).toMatch(
      /^Item 1A\. Risk Factors\n\nThe Company\u2019s business, reputation, results of operations/,
    );
    expect(apple.mdna?.title).toBe(
      'Item 7. Management\u2019s Discussion and Analysis of Financial Condition and Results of Operations',
    );
    expect(apple.mdna?.text).toMatch(
      /^Item 7\. Management\u2019s Discussion[^\n]*\n\nThe following discussion should be read in conjunction/,
    );
  });

  it("when Apple's sections are cut, then they are long and free of the TOC, the next item and page footers", () => {
    expect(apple.business?.text.length).toBeGreaterThan(10_000);
    expect(apple.risk_factors?.text.length).toBeGreaterThan(50_000);
    expect(apple.mdna?.text.length).toBeGreaterThan(10_000);
    expect(apple.business?.text).not.toContain('Item 1A. Risk Factors');
    expect(apple.risk_factors?.text).not.toContain('Unresolved Staff Comments');
    expect(apple.mdna?.text).not.toContain('Quantitative and Qualitative Disclosures About Market Risk');
    expect(apple.mdna?.text).not.toContain('CONSOLIDATED STATEMENTS OF OPERATIONS');
    expect(apple.mdna?.text).not.toMatch(/Apple Inc\. \| 2024 Form 10-K \| \d+/);
  });

  it("when Tesla's FY2024 10-K (upper-case headings, 2.6 MB) is cut, then the same holds, quickly", () => {
    const html = readText(SHARED_DIR, 'www.sec.gov/Archives/edgar/data/1318605/000162828025003063/tsla-20241231.htm');
    const started = performance.now();
    extractSections(html);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(tesla.business?.text).toMatch(
      /^ITEM 1\. BUSINESS\n\nOverview\n\nWe design, develop, manufacture, sell and lease/,
    );
    expect(tesla.risk_factors?.text).toMatch(
      /^ITEM 1A\. RISK FACTORS\n\nYou should carefully consider the risks described below/,
    );
    expect(tesla.mdna?.text).toMatch(/^ITEM 7\. MANAGEMENT\u2019S DISCUSSION AND ANALYSIS/);
    expect(tesla.risk_factors?.text.length).toBeGreaterThan(50_000);
    expect(tesla.mdna?.text.length).toBeGreaterThan(20_000);
    expect(tesla.mdna?.text).not.toContain('ITEM 7A');
    expect(tesla.mdna?.text).not.toContain('ITEM 8. FINANCIAL STATEMENTS');
    expect(tesla.business?.text).not.toContain('ITEM 1A. RISK FACTORS');
  });
});

/**
 * sha256 (first 16 hex digits) of title + "\n" + text of every section as the Parser-based
 * extraction cut them before the rewrite: the linear version must cut exactly the same text.
 */
const DIGESTS_BEFORE_REWRITE: Record<string, Record<string, string>> = {
  '000999999922000002/symb-20211231.htm': {
    business: 'd99aa92388342f55',
    risk_factors: 'a972ca73e103f54f',
    mdna: 'b63f96b8921ad2be',
  },
  '000999999923000002/symb-20221231.htm': {
    business: '523dafe3ea0d21c6',
    risk_factors: 'a15327e9e428cb44',
    mdna: 'bf550bd69099254e',
  },
  '000999999924000002/symb-20231231.htm': {
    business: 'c8c9340fafc671ae',
    risk_factors: '62dfbe98b5d549e4',
    mdna: '0b733644b8a11062',
  },
  '000999999925000002/symb-20241231.htm': {
    business: '1d3cf24d0d85615f',
    risk_factors: 'a972ca73e103f54f',
    mdna: 'f3658c2a4bb3644f',
  },
  '000999999926000004/symb-20251231.htm': {
    business: '24db7ea2c3ea1ee4',
    risk_factors: 'e2ee6770238666dd',
    mdna: '9c0d0624773dfec2',
  },
};
const REAL_DIGESTS_BEFORE_REWRITE: Record<string, Record<string, string>> = {
  '320193/000032019324000123/aapl-20240928.htm': {
    business: 'ced8235213b98769',
    risk_factors: '901ef5dcbb32c02f',
    mdna: '604631f305de940b',
  },
  '1318605/000162828025003063/tsla-20241231.htm': {
    business: 'fd6a7d554a035f15',
    risk_factors: '8d6222e92c4d9953',
    mdna: '4f4df2a049f422d7',
  },
};

const digests = (html: string) =>
  Object.fromEntries(
    foundSections(extractSections(html)).map((s) => [
      s.section,
      createHash('sha256').update(`${s.title}\n${s.text}`).digest('hex').slice(0, 16),
    ]),
  );

describe('extractSections, compared with the extraction before the linear rewrite', () => {
  it.each(Object.entries(DIGESTS_BEFORE_REWRITE))(
    'when fixture %s is cut, then every section is the same',
    (path, before) => {
      expect(digests(readText(FIXTURES_DIR, `www.sec.gov/Archives/edgar/data/9999999/${path}`))).toEqual(before);
    },
  );

  it.skipIf(!hasShared).each(Object.entries(REAL_DIGESTS_BEFORE_REWRITE))(
    'when the real 10-K %s is cut, then every section is the same',
    (path, before) => {
      expect(digests(readText(SHARED_DIR, `www.sec.gov/Archives/edgar/data/${path}`))).toEqual(before);
    },
  );
});

const outcomes = (extraction: SectionExtraction) =>
  extraction.kind === 'cut'
    ? extraction.sections.map((s) => (s.status === 'found' ? [s.section, 'found'] : [s.section, s.code]))
    : [];

describe('extractSections, given sections too short to be the item', () => {
  const SHORT = HANDWRITTEN.replace(
    /<p><b>ITEM 1A: RISK FACTORS<\/b><\/p>[\s\S]*?(?=<p><b>Item 2)/,
    '<p><b>ITEM 1A: RISK FACTORS</b></p><p>Not applicable.</p>',
  );

  it('when Item 1A holds only "Not applicable.", then it is missing as section_too_short, with what it held', () => {
    const extraction = extractSections(SHORT);
    expect(outcomes(extraction)).toEqual([
      ['business', 'found'],
      ['risk_factors', 'section_too_short'],
      ['mdna', 'found'],
    ]);
    const risk = extraction.kind === 'cut' ? extraction.sections[1] : undefined;
    expect(risk?.status === 'missing' && risk.message).toMatch(
      /^Item 1A \(Risk Factors\) holds only 15 characters \("Not applicable\."\), too little to be that item/,
    );
  });

  it('when a fixture 10-K is cut off a few words into each section, then every section is missing, none stored', () => {
    const html = readText(FIXTURES_DIR, 'www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm');
    // What is left of a damaged document: the headings and a few short lines, every long paragraph gone.
    const cut = html.replace(/<div><span>(?:[^<]|<ix:[^>]*>[^<]*<\/ix:[^>]*>){60,}?<\/span><\/div>/g, '');
    expect(outcomes(extractSections(cut))).toEqual([
      ['business', 'section_too_short'],
      ['risk_factors', 'section_too_short'],
      ['mdna', 'section_too_short'],
    ]);
  });
});

describe('extractSections, given limits and hostile text', () => {
  it('when the text limit is reached before Item 7, then Item 7 is missing as text_limit_reached, the rest found', () => {
    const html = readText(FIXTURES_DIR, 'www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm');
    const limit = htmlToText(html).lastIndexOf('Item 7.');
    const extraction = extractSections(html, '10-K', { maxNestingDepth: 1_000, maxTextChars: limit + 200 });
    expect(outcomes(extraction)).toEqual([
      ['business', 'found'],
      ['risk_factors', 'found'],
      ['mdna', 'text_limit_reached'],
    ]);
  });

  it('when a raw NUL byte and a lone surrogate sit inside Item 1, then Item 1 is found and holds neither', () => {
    const html = readText(
      FIXTURES_DIR,
      'www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm',
    ).replace('builds software', 'builds\u0000 soft\ud800ware');
    const business = bySection(extractSections(html)).business;
    expect(business?.text).toContain('builds software that turns public company filings');
    expect(business?.text).not.toContain('\u0000');
    // A lone surrogate would round-trip through UTF-8 as U+FFFD; a well-formed string comes back equal.
    expect(Buffer.from(business?.text ?? '', 'utf8').toString('utf8')).toBe(business?.text);
  });
});

const FORMS_DIR = fileURLToPath(new URL('../../fixtures/forms', import.meta.url));

describe('extractSections, given 20-F and 40-F annual reports of foreign filers', () => {
  it.each([
    ['frgn-20241231.htm', 'D. Risk Factors', 'Item 4. Information on the Company'],
    ['frgn-20231231.htm', '3.D. Risk Factors', 'ITEM 4. INFORMATION ON THE COMPANY'],
  ])(
    'when the 20-F %s is cut, then Item 4 is business, Item 3.D risk factors and Item 5 MD&A',
    (file, risk, business) => {
      const sections = bySection(extractSections(readFileSync(`${FORMS_DIR}/${file}`, 'utf8'), '20-F'));
      expect(Object.keys(sections)).toEqual(['business', 'risk_factors', 'mdna']);
      expect(sections.risk_factors?.title).toBe(risk);
      expect(sections.risk_factors?.text).toMatch(/carefully consider the risks described below/);
      expect(sections.risk_factors?.text).not.toMatch(/Information on the Company|Not applicable|Form 20-F \|/i);
      expect(sections.business?.title).toBe(business);
      expect(sections.business?.text).toMatch(/History and Development of the Company[\s\S]*Business Overview/);
      // Item 4's own sub-items A-D do not end it; Item 4A does.
      expect(sections.business?.text).toMatch(/Organizational Structure/);
      expect(sections.business?.text).not.toMatch(/Unresolved Staff Comments/i);
      expect(sections.mdna?.text).toMatch(/^Item 5\. Operating and Financial Review and Prospects\n\n/i);
      expect(sections.mdna?.text).toMatch(/Operating Results[\s\S]*Liquidity and Capital Resources/);
      expect(sections.mdna?.text).not.toMatch(/Directors, Senior Management/i);
    },
  );

  it('when a 40-F is given, then its text is not cut, said once for the form rather than as missing sections', () => {
    expect(extractSections(HANDWRITTEN, '40-F')).toEqual({
      kind: 'not_cut',
      form: '40-F',
      code: 'form_not_cut',
      message: expect.stringMatching(/^Text sections are not cut from a 40-F: it wraps the annual information form/),
    });
  });

  it('when another form is given, then it is not cut either, and the message names it', () => {
    const extraction = extractSections(HANDWRITTEN, '8-K');
    expect(extraction.kind === 'not_cut' && extraction.message).toMatch(/not from a 8-K$/);
  });
});
