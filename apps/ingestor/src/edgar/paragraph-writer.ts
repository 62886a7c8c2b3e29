import { storableText } from './extraction/storable-text';

/**
 * Whitespace that is not already a single space: a run of two or more, or one tab, newline or
 * non-breaking space. Same result as replacing every \s+ with a space, without rewriting the
 * millions of single spaces of ordinary text (which cost as much memory as the text again).
 */
const ODD_WHITESPACE = /\s{2,}|[^\S ]/g;
/** Runs joined into one chunk before they pile up: bounds the per-run overhead of a huge paragraph. */
const RUNS_PER_CHUNK = 4_096;

/**
 * Collects the text runs of a document into paragraphs, whitespace collapsed, in linear time: runs
 * are kept in a list and joined once per paragraph (joined in chunks along the way, so a 50 MB
 * paragraph of one-character runs does not hold millions of them). Stops taking text at
 * `maxChars` characters, counting the paragraph breaks, and then says it is `full`.
 */
export class ParagraphWriter {
  readonly paragraphs: string[] = [];
  private runs: string[] = [];
  private chunks: string[] = [];
  private used = 0;
  full = false;

  constructor(private readonly maxChars: number) {}

  append(text: string): void {
    if (this.full || text.length === 0) return;
    const room = this.maxChars - this.used;
    if (text.length >= room) {
      this.full = true;
      text = text.slice(0, room);
    }
    this.used += text.length;
    this.runs.push(text);
    if (this.runs.length >= RUNS_PER_CHUNK) {
      this.chunks.push(this.runs.join(''));
      this.runs = [];
    }
  }

  /** A separator that is not a paragraph break: table cells of one row, blocks inside a cell. */
  space(): void {
    if (this.runs.length > 0 || this.chunks.length > 0) this.append(' ');
  }

  flush(): void {
    if (this.runs.length === 0 && this.chunks.length === 0) return;
    this.chunks.push(this.runs.join(''));
    // Every extracted string (titles, section text) is made of these paragraphs: one place to clean.
    const paragraph = storableText(this.chunks.join('')).replace(ODD_WHITESPACE, ' ').trim();
    this.runs = [];
    this.chunks = [];
    if (!paragraph) return;
    this.paragraphs.push(paragraph);
    // A break costs its "\n\n" in the joined text; a document of a million empty-ish
    // paragraphs must fill the budget too, not only one of long ones.
    this.used += 2;
    if (this.used >= this.maxChars) this.full = true;
  }
}
