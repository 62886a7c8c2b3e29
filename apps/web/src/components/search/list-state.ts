/** What happened to the search box that may open, move in or close its suggestion list. */
export type ListEvent = 'focus' | 'blur' | 'input' | 'ArrowDown' | 'ArrowUp' | 'Escape';

/** Whether the list shows, and which suggestion (-1: none) Enter would pick. */
export type ListState = { open: boolean; active: number };

/**
 * The list opens when one types or presses ArrowDown, never on focus alone: coming back to the box
 * (a click, a tab, the page giving it focus) must not cover what is shown below it. Closing it
 * (Escape, leaving the box) also drops the highlight, so Enter on a closed list looks the text up
 * rather than picking a suggestion no one sees.
 */
export function nextList(state: ListState, event: ListEvent, count: number): ListState {
  switch (event) {
    case 'focus':
      return state;
    case 'input':
      return { open: true, active: -1 };
    case 'ArrowDown':
      return { open: true, active: Math.min(count - 1, state.active + 1) };
    case 'ArrowUp':
      return state.open ? { open: true, active: Math.max(-1, state.active - 1) } : state;
    case 'blur':
    case 'Escape':
      return { open: false, active: -1 };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
