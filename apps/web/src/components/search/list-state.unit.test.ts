import { describe, expect, it } from 'vitest';
import { nextList } from './list-state';

const closed = { open: false, active: -1 };

describe('nextList: when the suggestions show', () => {
  it('does not open on focus alone, so coming back to the box leaves the page below in view', () => {
    expect(nextList(closed, 'focus', 5)).toEqual(closed);
    expect(nextList({ open: true, active: 2 }, 'focus', 5)).toEqual({ open: true, active: 2 });
  });

  it('opens when one types, with nothing highlighted', () => {
    expect(nextList({ open: false, active: 3 }, 'input', 5)).toEqual({ open: true, active: -1 });
  });

  it('opens on ArrowDown and moves down, stopping at the last suggestion', () => {
    expect(nextList(closed, 'ArrowDown', 5)).toEqual({ open: true, active: 0 });
    expect(nextList({ open: true, active: 4 }, 'ArrowDown', 5)).toEqual({ open: true, active: 4 });
  });

  it('moves up an open list back to the text, and leaves a closed one closed', () => {
    expect(nextList({ open: true, active: 1 }, 'ArrowUp', 5)).toEqual({ open: true, active: 0 });
    expect(nextList({ open: true, active: -1 }, 'ArrowUp', 5)).toEqual({ open: true, active: -1 });
    expect(nextList(closed, 'ArrowUp', 5)).toEqual(closed);
  });

  it('closes on Escape and on leaving the box, dropping the highlight Enter would pick', () => {
    expect(nextList({ open: true, active: 2 }, 'Escape', 5)).toEqual(closed);
    expect(nextList({ open: true, active: 2 }, 'blur', 5)).toEqual(closed);
  });
});
