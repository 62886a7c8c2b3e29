'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { nextList, type ListEvent, type ListState } from './list-state';
import { searchQuery, type Match } from './pick-match';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export type Suggestions = {
  /** What the search suggests for the text (empty while it is too short to search). */
  matches: Match[];
  /** The highlighted suggestion, the one Enter picks; undefined when none is. */
  highlighted: Match | undefined;
  /** Tells the list what happened to the box: it opens, moves or closes accordingly. */
  move(event: ListEvent): void;
  close(): void;
  /** The combobox attributes and the keys and focus handlers for the text input. */
  inputProps: {
    role: 'combobox';
    'aria-expanded': boolean;
    'aria-controls': string;
    'aria-autocomplete': 'list';
    'aria-activedescendant': string | undefined;
    onKeyDown(e: KeyboardEvent<HTMLInputElement>): void;
    onFocus(): void;
    onBlur(): void;
  };
  /** For `SuggestionList`. */
  list: { id: string; expanded: boolean; active: number };
};

/**
 * The suggestions for what is typed in a search box (ingested companies, then SEC's ticker map),
 * and the state of the list that shows them: the home page's box and the page header's share it.
 */
export function useSuggestions(text: string, listId: string): Suggestions {
  const trpc = useTRPC();
  const [list, setList] = useState<ListState>({ open: false, active: -1 });
  const { open, active } = list;
  // Closing on blur waits a moment so a click on an option lands; a refocus cancels it.
  const closing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const query = useDebounced(searchQuery(text), 150);
  // Keeps the previous suggestions while the next ones load, so the list does not flicker.
  const suggestions = useQuery(
    trpc.company.search.queryOptions(
      { query: query ?? '' },
      { enabled: query !== undefined, placeholderData: (prev) => prev },
    ),
  );
  const matches = query !== undefined ? (suggestions.data ?? []) : [];
  const move = (event: ListEvent) => setList((state) => nextList(state, event, matches.length));
  const expanded = open && matches.length > 0;
  return {
    matches,
    highlighted: active >= 0 ? matches[active] : undefined,
    move,
    close: () => setList((state) => ({ ...state, open: false })),
    inputProps: {
      role: 'combobox',
      'aria-expanded': expanded,
      'aria-controls': `${listId}-list`,
      'aria-autocomplete': 'list',
      'aria-activedescendant': active >= 0 ? `${listId}-opt-${active}` : undefined,
      onKeyDown: (e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Escape') return;
        move(e.key);
        e.preventDefault();
      },
      onFocus: () => {
        clearTimeout(closing.current);
        move('focus');
      },
      onBlur: () => {
        closing.current = setTimeout(() => move('blur'), 150);
      },
    },
    list: { id: listId, expanded, active },
  };
}

/** The listbox of a search box's suggestions; `onChoose` is called with the one clicked. */
export function SuggestionList({
  suggestions,
  onChoose,
}: {
  suggestions: Suggestions;
  onChoose: (match: Match) => void;
}) {
  const { id, expanded, active } = suggestions.list;
  return (
    <ul id={`${id}-list`} role="listbox" className="search__list" hidden={!expanded}>
      {suggestions.matches.map((m, i) => (
        <li
          key={m.cik}
          id={`${id}-opt-${i}`}
          role="option"
          aria-selected={i === active}
          className="search__option"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onChoose(m)}
        >
          <span className="search__ticker">{m.tickers.join(', ')}</span> {m.name}
          {m.ingested && (
            <>
              {' '}
              <span className="search__badge">Ingested</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
