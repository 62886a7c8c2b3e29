import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { peerKey } from './peer-key';

/** One budget of subscriptions: a slot taken returns its release (idempotent), undefined when none is free. */
type Budget = { readonly limit: number; tryAcquire(): (() => void) | undefined };

/**
 * How many subscriptions each network peer may hold at once across all its connections
 * (WS_MAX_SUBSCRIPTIONS_PER_PEER). The socket's own cap alone let one peer hold a socket's worth
 * on each of its WS_MAX_CONNECTIONS_PER_PEER sockets (5,000 by default), and a status update of a
 * task so watched then cost that many writes for everyone on the process. Keyed on the peer as
 * the call rate is (an IPv6 peer by its /64); per process, as every per-peer limit.
 */
export class PeerSubscriptionSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** The budget `peer`'s connections share. */
  of(peer: string | undefined): Budget {
    const key = peerKey(peer);
    return {
      limit: this.limit,
      tryAcquire: () => {
        const held = this.held.get(key) ?? 0;
        if (held >= this.limit) return undefined;
        this.held.set(key, held + 1);
        return once(() => {
          const left = (this.held.get(key) ?? 1) - 1;
          if (left > 0) this.held.set(key, left);
          else this.held.delete(key);
        });
      },
    };
  }
}

/**
 * How many subscriptions one connection may hold at once, and within its peer's budget when it
 * has one. Each live subscription costs a fan-out entry and a periodic Postgres re-read, so
 * without a cap one socket could make the server do unbounded work (5,000 subscriptions on one
 * socket gave about 1,000 queries/s).
 */
export class SubscriptionSlots {
  private held = 0;

  constructor(
    readonly limit: number,
    /** The peer's budget, shared by its connections (`PeerSubscriptionSlots.of`). */
    readonly peer?: Budget,
  ) {}

  /** Takes a slot of the connection and one of its peer's; returns its release (idempotent), or the budget that is spent. */
  tryAcquire(): { release: () => void } | { spent: 'connection' | 'peer' } {
    if (this.held >= this.limit) return { spent: 'connection' };
    const releasePeer = this.peer ? this.peer.tryAcquire() : () => {};
    if (!releasePeer) return { spent: 'peer' };
    this.held++;
    return {
      release: once(() => {
        this.held--;
        releasePeer();
      }),
    };
  }
}

/**
 * Holds one of the connection's subscription slots (and one of its peer's) for the life of a
 * subscription; throws LIMIT_EXCEEDED (and counts it) when the connection or its peer holds its
 * limit already. Transports without a connection (HTTP, createCaller) have no budget and hold nothing.
 */
export function holdSubscriptionSlot(ctx: Pick<TrpcContext, 'subscriptionSlots' | 'metrics'>): () => void {
  const slots = ctx.subscriptionSlots;
  if (!slots) return () => {};
  const slot = slots.tryAcquire();
  if ('release' in slot) return slot.release;
  if (slot.spent === 'peer') {
    ctx.metrics.refused.inc({ reason: 'subscriptions_per_peer' });
    throw new AppError(
      'LIMIT_EXCEEDED',
      `Too many subscriptions from this address (at most ${slots.peer!.limit} across its connections): close some before opening more`,
    );
  }
  ctx.metrics.refused.inc({ reason: 'subscriptions_per_socket' });
  throw new AppError(
    'LIMIT_EXCEEDED',
    `Too many subscriptions on this connection (at most ${slots.limit}): close some before opening more`,
  );
}

function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
