import { describe, expect, it } from 'vitest';
import { OpenElements } from './open-elements';

const tracker = (maxDepth = 100) => {
  const closed: string[] = [];
  return { open: new OpenElements(maxDepth), closed, onClose: (name: string) => closed.push(name) };
};

describe('OpenElements', () => {
  it('given nested elements, when an outer one ends, then everything inside it closes first, innermost first', () => {
    const { open, closed, onClose } = tracker();
    for (const name of ['div', 'span', 'b']) open.push({ name, hidden: name === 'div' });
    expect(open.hidden).toBe(true);
    expect(open.close('div', onClose)).toBe(true);
    expect(closed).toEqual(['b', 'span', 'div']);
    expect(open.hidden).toBe(false);
  });

  it('given an end tag with no open element of its name, then nothing closes', () => {
    const { open, closed, onClose } = tracker();
    open.push({ name: 'div', hidden: false });
    expect(open.close('table', onClose)).toBe(false);
    expect(closed).toEqual([]);
  });

  it('given an open cell, when the next cell opens, then the implied end closes the first', () => {
    const { open, closed, onClose } = tracker();
    open.push({ name: 'td', hidden: false });
    expect(open.inCell).toBe(true);
    open.closeImplied('td', onClose);
    expect(closed).toEqual(['td']);
    expect(open.inCell).toBe(false);
  });

  it('given nesting past maxDepth, when the deep elements end, then their end tags are absorbed and the tracked ones close after', () => {
    const { open, closed, onClose } = tracker(2);
    for (const name of ['div', 'span', 'div', 'span']) open.push({ name, hidden: false });
    for (const name of ['span', 'div', 'span', 'div']) open.close(name, onClose);
    expect(closed).toEqual(['span', 'div', 'span', 'div']);
    expect(open.close('div', onClose)).toBe(false);
  });
});
