'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { SEARCH_QUERY_MAX_LENGTH } from '@symbology/contracts';
import { knownCompanyHref } from '../company/selection';
import { userMessage } from '~/trpc/user-message';
import { askAnywayWords, pickMatch, searchQuery, shareClassTicker, type Match } from './pick-match';
import { SuggestionList, useSuggestions } from './suggestions';

/**
 * A combobox: suggestions from ingested companies (badged) and then SEC's ticker map as one types.
 * Choosing an ingested company opens it; choosing any other suggestion asks for its ticker (an
 * unknown one starts an ingestion). Enter picks the highlighted suggestion, else the company whose
 * ticker is the text, else the top suggestion; when nothing matches it says so.
 */
export function SearchBox({
  initial,
  lookUpInitial = false,
  onTask,
}: {
  initial: string;
  /** Look `initial` up at once (and again whenever it changes), as if typed and Enter pressed. */
  lookUpInitial?: boolean;
  onTask: (taskId: string) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const listId = useId();
  const [text, setText] = useState(initial);
  const suggestions = useSuggestions(text, listId);
  const { close } = suggestions;
  /** Enter found nothing for this text; `ticker` when it is a valid ticker one may still ask for. */
  const [noMatch, setNoMatch] = useState<{ text: string; ticker: string | undefined } | undefined>();
  /** Why Enter could not look the text up (the search request failed): said, never swallowed. */
  const [failure, setFailure] = useState<string | undefined>();
  const queryClient = useQueryClient();
  const request = useMutation(
    trpc.ingest.request.mutationOptions({
      onSuccess: (result) => {
        // A known company opens at once; a refresh or retry behind it shows as a live line there,
        // and one that is due but could not start (the queue is full) as a notice.
        if (result.status === 'exists') router.push(knownCompanyHref(result));
        else onTask(result.taskId);
      },
      // A held company still opens when the request cannot be made (rate limited, say): it is stored.
      onError: (_error, variables) => {
        if (held.current === variables.ticker) router.push(`/companies/${encodeURIComponent(variables.ticker)}`);
      },
    }),
  );
  /** The ticker of the held company being asked for, if the request is for one. */
  const held = useRef<string | undefined>(undefined);

  const ask = (ticker: string, ingested = false) => {
    close();
    setNoMatch(undefined);
    setFailure(undefined);
    held.current = ingested ? ticker : undefined;
    request.mutate({ ticker });
  };
  /** Even a held company is asked for: the answer is immediate, and starts a refresh or retry when due. */
  const choose = (match: Match) => {
    const ticker = match.tickers[0];
    if (ticker) ask(ticker, match.ingested);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = suggestions.highlighted;
    if (chosen) choose(chosen);
    else void lookUp(text);
  };
  /** What Enter does with no suggestion highlighted: the company the text names, else says why not. */
  const lookUp = async (raw: string) => {
    setFailure(undefined);
    const typed = searchQuery(raw);
    if (typed === undefined) {
      setFailure('Type a ticker (AAPL) or the start of a company name (Apple).');
      return;
    }
    // The suggestions on screen may be for what was typed 150 ms ago: ask for exactly this text,
    // and for its share-class spelling ("BRK B" -> BRK-B), which the search itself does not try.
    // Not retried: the person pressed Enter and waits for an answer; one that cannot come is said
    // at once (pressing Enter again is the retry), not after the client's retries' 3 s of nothing.
    const search = (query: string) =>
      queryClient.fetchQuery({ ...trpc.company.search.queryOptions({ query }), retry: false });
    const asClass = shareClassTicker(typed);
    let fresh: Match[];
    try {
      fresh = (await Promise.all([search(typed), asClass ? search(asClass) : []])).flat();
    } catch (error) {
      close();
      setNoMatch(undefined);
      setFailure(userMessage(error));
      return;
    }
    const picked = pickMatch(typed, fresh);
    if (picked.kind === 'none') {
      close();
      setNoMatch({ text: typed, ticker: picked.ticker });
      return;
    }
    setText(picked.ticker);
    if (picked.match.ingested) choose({ ...picked.match, tickers: [picked.ticker] });
    else ask(picked.ticker);
  };
  // A link or the page header's search sends `/?q=…`: it is looked up, not only prefilled. The ref
  // keeps a re-run of the effect (React's strict mode) from asking twice; only a new `initial` asks again.
  const lookedUp = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!lookUpInitial || initial.trim() === '' || lookedUp.current === initial) return;
    lookedUp.current = initial;
    setText(initial);
    void lookUp(initial);
  }, [initial, lookUpInitial]);

  return (
    <form className="search" role="search" onSubmit={submit}>
      <label htmlFor={`${listId}-input`} className="search__label">
        Ticker or company name
      </label>
      <div className="search__row">
        <input
          id={`${listId}-input`}
          className="search__input"
          {...suggestions.inputProps}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. AAPL or Apple"
          maxLength={SEARCH_QUERY_MAX_LENGTH}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setNoMatch(undefined);
            setFailure(undefined);
            suggestions.move('input');
          }}
        />
        <button type="submit" className="button" disabled={request.isPending}>
          {request.isPending ? 'Looking up…' : 'Look up'}
        </button>
      </div>
      <SuggestionList suggestions={suggestions} onChoose={choose} />
      {noMatch && (
        <div role="status" className="search__none">
          <p>
            No company matches <strong>“{noMatch.text}”</strong>. Try a ticker (AAPL) or the start of a name (Apple).
          </p>
          {noMatch.ticker && <AskAnyway ticker={noMatch.ticker} onAsk={ask} />}
        </div>
      )}
      {(failure ?? request.error) && (
        <p role="alert" className="error">
          {failure ?? userMessage(request.error)}
        </p>
      )}
    </form>
  );
}

/** SEC's ticker list reaches the database with the ingestor's first download: until then a real ticker matches nothing. */
function AskAnyway({ ticker, onAsk }: { ticker: string; onAsk: (ticker: string) => void }) {
  const { reason, action } = askAnywayWords(ticker);
  return (
    <p className="small">
      {reason}{' '}
      <button type="button" className="link-button" onClick={() => onAsk(ticker)}>
        {action}
      </button>
    </p>
  );
}
