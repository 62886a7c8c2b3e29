import { describe, expect, it } from 'vitest';
import { htmlToParagraphs, htmlToText } from './html-to-text';

describe('htmlToText', () => {
  it('given the inline-XBRL hidden header, a display:none div, a script and a style, when converted, then none of them shows', () => {
    const html = `<html><head><title>t</title><style>p{color:red}</style></head><body>
      <div style="display:none"><ix:header><ix:hidden>dei:AmendmentFlag false</ix:hidden></ix:header></div>
      <div style="DISPLAY: NONE">secret <span>nested</span></div>
      <script>var x = "Item 1. Business";</script>
      <div>Visible</div></body></html>`;
    expect(htmlToText(html)).toBe('Visible');
  });

  it('given entities and non-breaking spaces, when converted, then they are decoded and spaces normalised', () => {
    expect(htmlToText('<p>Item&#160;1A.&nbsp;&nbsp;Risk &amp; Company&#8217;s &quot;view&quot;</p>')).toBe(
      'Item 1A. Risk & Company\u2019s "view"',
    );
  });

  it('given blocks and inline runs, when converted, then one paragraph per block, inline runs joined', () => {
    const html = '<div><span>Item 1.</span><span>  Business</span></div><p>First\n   line</p><br/><div>Second</div>';
    expect(htmlToText(html)).toBe('Item 1. Business\n\nFirst line\n\nSecond');
  });

  it('given a table, when converted, then each row is one line with its cells in order, even when cells hold divs', () => {
    const html =
      '<table><tr><td><div>Item 1.</div></td><td><div>Business</div></td><td>3</td></tr><tr><td>Item 2.</td><td>Properties</td></tr></table>';
    expect(htmlToText(html)).toBe('Item 1. Business 3\n\nItem 2. Properties');
  });

  it('given self-closing XHTML elements inside a hidden block, when converted, then the text after the block shows', () => {
    expect(htmlToText('<div style="display:none"><span/><br/>hidden</div><div>shown</div>')).toBe('shown');
  });

  it('given old HTML with unclosed cells and paragraphs, when converted, then implied end tags close them', () => {
    const html = '<TABLE><TR><TD>Item 1.<TD>Business<TR><TD>Item 2.<TD>Properties</TABLE><P>One<P>Two';
    expect(htmlToText(html)).toBe('Item 1. Business\n\nItem 2. Properties\n\nOne\n\nTwo');
  });

  it('given stray end tags and a document cut off inside a tag, when converted, then the text before is kept', () => {
    expect(htmlToText('</span></div><p>Kept</p></br>After<div style="disp')).toBe('Kept\n\nAfter');
  });
});

describe('htmlToParagraphs, given hostile input', () => {
  it('when 100,000 <div><span> are nested and never closed, then the text inside comes out at once', () => {
    const started = performance.now();
    const { paragraphs } = htmlToParagraphs(`${'<div><span>'.repeat(100_000)}Deep text${'</span></div>'.repeat(10)}`);
    expect(paragraphs).toEqual(['Deep text']);
    // The Parser-based version took minutes on this shape; linear work is a few hundred ms.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('when a display:none block holds nesting deeper than the tracked depth, then it still hides and ends', () => {
    const deep = `<div style="display:none">${'<div>'.repeat(50)}hidden${'</div>'.repeat(50)}</div><p>shown</p>`;
    expect(htmlToParagraphs(deep, { maxNestingDepth: 20, maxTextChars: 1_000 }).paragraphs).toEqual(['shown']);
  });

  it('when the text passes maxTextChars, then reading stops there and the result says it was truncated', () => {
    const html = `<p>${'a'.repeat(600)}</p><p>${'b'.repeat(600)}</p><p>never read</p>`;
    const text = htmlToParagraphs(html, { maxNestingDepth: 100, maxTextChars: 1_000 });
    expect(text.truncated).toBe(true);
    expect(text.paragraphs.map((p) => p.length)).toEqual([600, 398]);
  });

  it('when one text node is 5 MB with no tag at all, then it is one paragraph', () => {
    const { paragraphs, truncated } = htmlToParagraphs('word '.repeat(1_000_000));
    expect(truncated).toBe(false);
    expect(paragraphs).toHaveLength(1);
    expect(paragraphs[0]?.length).toBe(4_999_999);
  });

  it('when the document holds NUL, other control characters and lone surrogates, then none survives', () => {
    const html = '<p>Item\u0000 1. Busi\u0007ness \ud800alone \udc00too \ud83d\ude00 kept &#0; &#xD800;</p>';
    expect(htmlToText(html)).toBe('Item 1. Business alone too \ud83d\ude00 kept \ufffd \ufffd');
  });
});
