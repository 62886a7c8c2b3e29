import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text';

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
});
