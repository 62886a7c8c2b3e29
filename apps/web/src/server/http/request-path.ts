/**
 * The path of a request target, undefined when it does not parse. Node's parser passes targets a
 * URL cannot hold (`//x:99999/…`, `//[/…`): `new URL` throws on them, and a throw while routing
 * was a 500 and an error in the log for what is the client's mistake.
 */
export function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://x').pathname;
  } catch {
    return undefined;
  }
}
