import { Parser } from 'htmlparser2';

/** Elements whose content is never reader-visible text. */
const SKIPPED_TAGS = new Set(['script', 'style', 'head', 'title', 'noscript', 'ix:header', 'xbrli:context']);

/** Elements that start a new paragraph; everything else (span, font, a, ix:*) is inline. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'thead',
  'tbody',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'pre',
  'dt',
  'dd',
  'center',
  'body',
]);

/** Cells of one row stay on one line, so a TOC row reads "Item 1. Business 1" and a table row reads across. */
const CELL_TAGS = new Set(['td', 'th']);

const HIDDEN_STYLE = /display\s*:\s*none/i;

/**
 * Turns an EDGAR HTML (or inline-XBRL XHTML) document into plain text: one paragraph per block
 * element, separated by blank lines, whitespace inside a paragraph collapsed to single spaces.
 * Streams through htmlparser2 without building a DOM, so a 2.6 MB 10-K costs tens of milliseconds.
 */
export function htmlToText(html: string): string {
  const paragraphs: string[] = [];
  let current = '';
  const hiddenStack: boolean[] = [];
  let hiddenDepth = 0;
  let cellDepth = 0;

  const flush = () => {
    const paragraph = current.replace(/\s+/g, ' ').trim();
    if (paragraph) paragraphs.push(paragraph);
    current = '';
  };

  const breakAt = (name: string) => {
    if (CELL_TAGS.has(name) || (cellDepth > 0 && BLOCK_TAGS.has(name) && name !== 'tr' && name !== 'table')) {
      current += ' ';
    } else if (BLOCK_TAGS.has(name)) {
      flush();
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const hidden = SKIPPED_TAGS.has(name) || HIDDEN_STYLE.test(attribs.style ?? '');
        hiddenStack.push(hidden);
        if (hidden) hiddenDepth++;
        if (CELL_TAGS.has(name)) cellDepth++;
        breakAt(name);
      },
      onclosetag(name) {
        if (hiddenStack.pop()) hiddenDepth--;
        if (CELL_TAGS.has(name)) cellDepth = Math.max(0, cellDepth - 1);
        breakAt(name);
      },
      ontext(text) {
        // Non-breaking spaces are how EDGAR documents lay out "Item 1A.&#160;Risk Factors".
        if (hiddenDepth === 0) current += text.replace(/[\u00a0\u2007\u202f]/g, ' ');
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return paragraphs.join('\n\n');
}
