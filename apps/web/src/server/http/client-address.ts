import { BlockList, isIP } from 'node:net';

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) as `203.0.113.7`. */
export function normalize(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * Resolves who the client is, for rate limits and logs: the socket's peer address, unless that
 * peer is one of `trustedProxies`; then the X-Forwarded-For chain is read from the right (the
 * entry our proxy appended) past every trusted proxy, and the first address not trusted is the
 * client. Without trusted proxies the header is ignored: any client can write it.
 */
export type PeerResolver = (
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
) => string | undefined;

export function createPeerResolver(trustedProxies: readonly string[]): PeerResolver {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address!, type);
    else trusted.addSubnet(address!, Number(prefix), type);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };

  return (socketAddress, forwardedFor) => {
    if (socketAddress === undefined) return undefined;
    let peer = normalize(socketAddress);
    if (!isTrusted(peer) || !forwardedFor) return peer;
    const hops = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',').map(normalize);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // A malformed entry was not written by a proxy we trust: stop at the last one that was.
      if (isIP(hop) === 0) break;
      peer = hop;
      if (!isTrusted(hop)) break;
    }
    return peer;
  };
}
