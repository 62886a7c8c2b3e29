/**
 * Where a search typed outside the home page goes: the home page with `?q=`, which looks it up at
 * once, so every search takes the one path (suggestion matching, ingesting the unknown). No address
 * for blank text: there is nothing to look up.
 */
export function homeSearchHref(text: string): string | undefined {
  const query = text.trim();
  return query === '' ? undefined : `/?q=${encodeURIComponent(query)}`;
}
