'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent } from 'react';
import { SEARCH_QUERY_MAX_LENGTH } from '@symbology/contracts';
import { homeSearchHref } from './home-search-href';

/**
 * The compact search in the page header, on every page but the home page (which has the full box).
 * It hands the text to the home page (`/?q=`), which looks it up as if typed there; without
 * JavaScript the form's own GET does the same.
 */
export function HeaderSearch() {
  const pathname = usePathname();
  const router = useRouter();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  if (pathname === '/') return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const href = homeSearchHref(text);
    if (href) router.push(href);
    else input.current?.focus();
  };
  return (
    <form className="header-search" role="search" action="/" method="get" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Look up a ticker or company
      </label>
      <input
        ref={input}
        id={id}
        name="q"
        type="search"
        className="header-search__input"
        placeholder="AAPL or Apple"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={SEARCH_QUERY_MAX_LENGTH}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="button header-search__button">
        Look up
      </button>
    </form>
  );
}
