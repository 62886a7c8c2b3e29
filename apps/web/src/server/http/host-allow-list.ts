import { isIP } from 'node:net';

/** The hostname of a Host header (`name`, `name:port`, `[v6]:port`), lowercased, without brackets. */
function hostnameOf(host: string): string | undefined {
  try {
    const { hostname } = new URL(`http://${host}`);
    return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Which Host headers the server answers: the DNS-rebinding guard. A page on a foreign name that
 * rebinds to this server's address makes the browser send that foreign name as Host (and as
 * Origin, so a same-origin check passes): refusing names we were not told about stops it.
 * IP literals cannot be rebound (the attack needs a name the attacker resolves) and localhost
 * names resolve to this machine only, so those pass, like Vite's `allowedHosts`; so does
 * `boundHost` when it is a name. `*` in `allowed` turns the check off (behind a proxy that checks).
 */
export function createHostAllowList(
  allowed: readonly string[],
  boundHost: string,
): (host: string | undefined) => boolean {
  if (allowed.includes('*')) return () => true;
  const names = new Set([...allowed, boundHost].map((h) => hostnameOf(h) ?? h.toLowerCase()));
  return (host) => {
    const hostname = host === undefined ? undefined : hostnameOf(host);
    if (!hostname) return false;
    return isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost') || names.has(hostname);
  };
}
