const KEY = 'symbology.clientId';

/** A stable id for this browser, sent with every request: the server rate-limits per client. */
export function browserClientId(): string {
  try {
    const known = localStorage.getItem(KEY);
    if (known) return known;
    const id = crypto.randomUUID();
    localStorage.setItem(KEY, id);
    return id;
  } catch {
    // Storage disabled (private mode): an id per page load still works, just less stable.
    return crypto.randomUUID();
  }
}
