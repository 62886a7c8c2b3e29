import { Tokenizer } from 'htmlparser2';
import { BLOCK_TAGS, CELL_TAGS, SKIPPED_TAGS, VOID_TAGS } from './html-tags';
import { OpenElements } from './open-elements';
import { ParagraphWriter } from './paragraph-writer';

export type TextLimits = {
  /** Open elements tracked; deeper ones are counted only (see OpenElements). */
  maxNestingDepth: number;
  /** Characters of plain text kept; the rest of the document is not read. */
  maxTextChars: number;
};

export const DEFAULT_TEXT_LIMITS: TextLimits = { maxNestingDepth: 1_000, maxTextChars: 10_000_000 };

export type DocumentText = {
  paragraphs: string[];
  /** The document held more text than maxTextChars: what follows the last paragraph was not read. */
  truncated: boolean;
};

const HIDDEN_STYLE = /display\s*:\s*none/i;
/** A style attribute longer than this is not read further: display:none comes early or not at all. */
const MAX_STYLE_CHARS = 1_024;

/**
 * Turns an EDGAR HTML (or inline-XBRL XHTML) document into paragraphs of plain text: one per block
 * element, whitespace inside collapsed to single spaces, hidden content (scripts, the inline-XBRL
 * header, display:none blocks) left out. It drives htmlparser2's Tokenizer directly, with no DOM and
 * none of the Parser's element stack (whose unshift/indexOf made deep nesting quadratic): time is
 * linear in the document and memory bounded by the limits, however the markup is nested or broken.
 */
export function htmlToParagraphs(html: string, limits: TextLimits = DEFAULT_TEXT_LIMITS): DocumentText {
  const out = new ParagraphWriter(limits.maxTextChars);
  const open = new OpenElements(limits.maxNestingDepth);
  let tag = '';
  let style: string | undefined;
  let readingStyle = false;

  const breakAt = (name: string) => {
    if (CELL_TAGS.has(name) || (open.inCell && BLOCK_TAGS.has(name) && name !== 'tr' && name !== 'table')) {
      out.space();
    } else if (BLOCK_TAGS.has(name)) {
      out.flush();
    }
  };
  const endOpenTag = (selfClosing: boolean) => {
    const hidden = SKIPPED_TAGS.has(tag) || (style !== undefined && HIDDEN_STYLE.test(style));
    const empty = selfClosing || VOID_TAGS.has(tag);
    if (!empty) open.push({ name: tag, hidden });
    breakAt(tag);
    if (empty) breakAt(tag);
    if (out.full) tokenizer.pause();
  };
  const slice = (start: number, end: number) => html.slice(start, end);
  const text = (value: string) => {
    if (open.hidden) return;
    out.append(value);
    if (out.full) tokenizer.pause();
  };
  const addToStyle = (value: string) => {
    if (readingStyle && style !== undefined && style.length < MAX_STYLE_CHARS) style += value;
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true, recognizeSelfClosing: true },
    {
      onopentagname(start, end) {
        tag = slice(start, end).toLowerCase();
        style = undefined;
        open.closeImplied(tag, breakAt);
      },
      onattribname(start, end) {
        // The first style attribute counts, as in htmlparser2's Parser.
        readingStyle = style === undefined && end - start === 5 && slice(start, end).toLowerCase() === 'style';
        if (readingStyle) style = '';
      },
      onattribdata(start, end) {
        if (readingStyle) addToStyle(slice(start, Math.min(end, start + MAX_STYLE_CHARS)));
      },
      onattribentity(codePoint) {
        addToStyle(String.fromCodePoint(codePoint));
      },
      onattribend() {
        readingStyle = false;
      },
      onopentagend() {
        endOpenTag(false);
      },
      onselfclosingtag() {
        endOpenTag(true);
      },
      onclosetag(start, end) {
        const name = slice(start, end).toLowerCase();
        const matched = !VOID_TAGS.has(name) && open.close(name, breakAt);
        // A stray </p> or </br> still breaks the line in HTML, as browsers (and the Parser) do.
        if (!matched && (name === 'p' || name === 'br')) breakAt(name);
      },
      ontext(start, end) {
        text(slice(start, end));
      },
      ontextentity(codePoint) {
        text(String.fromCodePoint(codePoint));
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  if (!out.full) tokenizer.end();
  open.closeAll(breakAt);
  out.flush();
  return { paragraphs: out.paragraphs, truncated: out.full };
}

/** The paragraphs of htmlToParagraphs, separated by blank lines. */
export function htmlToText(html: string, limits: TextLimits = DEFAULT_TEXT_LIMITS): string {
  return htmlToParagraphs(html, limits).paragraphs.join('\n\n');
}
