import { isIP } from 'node:net';

/** What a peer whose address the transport could not tell is counted as: one client, all of them. */
export const UNKNOWN_PEER = 'unknown';

/**
 * The key a per-client limit counts a peer address under. An IPv4 address is one client; an
 * IPv6 host is routinely given a whole /64 and can pick any address in it, so IPv6 peers are
 * counted by their /64 prefix (else each fresh address would buy a fresh bucket).
 */
export function peerKey(peer: string | undefined): string {
  if (peer === undefined) return UNKNOWN_PEER;
  if (isIP(peer) !== 6) return peer;
  const [head = '', tail] = peer.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
