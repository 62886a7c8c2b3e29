import { beforeAll, describe, expect, it } from 'vitest';
import { extractSections, type FilingSection } from './extract-sections';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readText } from './test-data';

const bySection = (sections: FilingSection[]) => Object.fromEntries(sections.map((s) => [s.section, s]));

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
<p>See Item 7 of this report for results.</p>
<p>2</p>
<p><b>ITEM 1A: RISK FACTORS</b></p>
<p>Widgets may go out of fashion.</p>
<p><b>Item 2. Properties</b></p>
<p>A shed.</p>
<p><b>Item 7 &#8212; Management&#8217;s Discussion and Analysis</b></p>
<p>Sales rose.</p>
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
      text: 'Item 1. Business\n\nWe make widgets & gadgets.\n\nSee Item 7 of this report for results.',
    });
  });

  it('when cut, then Item 1A is found with upper case and a colon, and ends at Item 2', () => {
    expect(sections.risk_factors?.text).toBe('ITEM 1A: RISK FACTORS\n\nWidgets may go out of fashion.');
  });

  it('when MD&A holds a line repeating an earlier item heading, then MD&A runs on to Item 7A, not into Item 8', () => {
    expect(sections.mdna?.title).toBe('Item 7 \u2014 Management\u2019s Discussion and Analysis');
    expect(sections.mdna?.text).toContain('Those risks still apply.');
    expect(sections.mdna?.text).not.toContain('Little.');
    expect(sections.mdna?.text).not.toContain('BALANCE SHEET');
  });

  it('when the form is a 20-F, then nothing, since its items are numbered differently', () => {
    expect(extractSections(HANDWRITTEN, '20-F')).toEqual([]);
  });

  it('when the document has no item headings, then nothing', () => {
    expect(extractSections('<html><body><p>Exhibit 99.1 press release</p></body></html>')).toEqual([]);
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
