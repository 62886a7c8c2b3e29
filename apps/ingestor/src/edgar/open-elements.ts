import { CELL_TAGS, OPEN_IMPLIES_CLOSE } from './html-tags';

export type OpenElement = { name: string; hidden: boolean };
export type OnClose = (name: string) => void;

/**
 * The elements open at the tokenizer's position, innermost last. Every operation is O(1)
 * amortised, whatever the nesting: an end tag with no open element of its name is found to be
 * unmatched through a count per name rather than a scan of the stack, and an element is popped at
 * most once. At most `maxDepth` elements are tracked: deeper ones are counted, not kept (their end
 * tags close them), so 50 MB of unclosed `<div><span>` costs a counter, not a 4-million-entry
 * stack. A deeper element cannot hide text or start a cell; the paragraph breaks still happen.
 */
export class OpenElements {
  private readonly stack: OpenElement[] = [];
  private readonly counts = new Map<string, number>();
  private untracked = 0;
  private hiddenCount = 0;
  private cellCount = 0;

  constructor(private readonly maxDepth: number) {}

  /** Inside script, style, the inline-XBRL header or a display:none block. */
  get hidden(): boolean {
    return this.hiddenCount > 0;
  }

  get inCell(): boolean {
    return this.cellCount > 0;
  }

  /** Closes what opening `name` implies (a `<td>` ends the open `<td>`), innermost first. */
  closeImplied(name: string, onClose: OnClose): void {
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (!implied || this.untracked > 0) return;
    for (let top = this.stack.at(-1); top && implied.has(top.name); top = this.stack.at(-1)) this.pop(onClose);
  }

  push(element: OpenElement): void {
    if (this.untracked > 0 || this.stack.length >= this.maxDepth) {
      this.untracked++;
      return;
    }
    this.stack.push(element);
    this.counts.set(element.name, (this.counts.get(element.name) ?? 0) + 1);
    if (element.hidden) this.hiddenCount++;
    if (CELL_TAGS.has(element.name)) this.cellCount++;
  }

  /** An end tag: closes the innermost open element of that name and everything inside it. */
  close(name: string, onClose: OnClose): boolean {
    if (this.untracked > 0) {
      this.untracked--;
      onClose(name);
      return true;
    }
    if (!this.counts.get(name)) return false;
    for (let popped = this.pop(onClose); popped !== undefined && popped !== name; popped = this.pop(onClose));
    return true;
  }

  closeAll(onClose: OnClose): void {
    while (this.stack.length > 0) this.pop(onClose);
  }

  private pop(onClose: OnClose): string | undefined {
    const element = this.stack.pop();
    if (!element) return undefined;
    this.counts.set(element.name, (this.counts.get(element.name) ?? 1) - 1);
    if (element.hidden) this.hiddenCount--;
    if (CELL_TAGS.has(element.name)) this.cellCount--;
    onClose(element.name);
    return element.name;
  }
}
