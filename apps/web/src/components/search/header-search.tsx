'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent } from 'react';
import { SEARCH_QUERY_MAX_LENGTH } from '@symbology/contracts';
import { homeSearchHref } from './home-search-href';
import type { Match } from './pick-match';
import { SuggestionList, useSuggestions } from './suggestions';

/**
 * The compact search in the page header, on every page but the home page (which has the full box),
 * with the same suggestions as that box. It hands the text, or the ticker of the suggestion taken,
 * to the home page (`/?q=`), which looks it up as if typed there; without JavaScript the form's own
 * GET does the same.
 */
export function HeaderSearch() {
  const pathname = usePathname();
  if (pathname === '/') return null;
  return <HeaderSearchForm />;
}

function HeaderSearchForm() {
  const router = useRouter();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const suggestions = useSuggestions(text, id);

  const lookUp = (query: string) => {
    const href = homeSearchHref(query);
    if (href) router.push(href);
    else input.current?.focus();
  };
  const choose = (match: Match) => {
    const ticker = match.tickers[0];
    if (!ticker) return;
    suggestions.close();
    setText(ticker);
    lookUp(ticker);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = suggestions.highlighted;
    if (chosen) choose(chosen);
    else lookUp(text);
  };
  return (
    <form className="header-search" role="search" action="/" method="get" onSubmit={submit}>
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Look up a ticker or company
      </label>
      <input
        ref={input}
        id={`${id}-input`}
        name="q"
        type="search"
        className="header-search__input"
        {...suggestions.inputProps}
        placeholder="AAPL or Apple"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={SEARCH_QUERY_MAX_LENGTH}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          suggestions.move('input');
        }}
      />
      <button type="submit" className="button header-search__button">
        Look up
      </button>
      <SuggestionList suggestions={suggestions} onChoose={choose} />
    </form>
  );
}
