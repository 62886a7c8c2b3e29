import { AppError } from '../app-error';
import type { TrpcContext } from '../context';

/**
 * How many subscriptions one connection may hold at once. Each live subscription costs a fan-out
 * entry and a periodic Postgres re-read, so without a cap one socket could make the server do
 * unbounded work (5,000 subscriptions on one socket gave about 1,000 queries/s).
 */
export class SubscriptionSlots {
  private held = 0;

  constructor(readonly limit: number) {}

  /** Takes a slot; returns its release (idempotent), or undefined when every slot is taken. */
  tryAcquire(): (() => void) | undefined {
    if (this.held >= this.limit) return undefined;
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
    };
  }
}

/**
 * Holds one of the connection's subscription slots for the life of a subscription; throws
 * LIMIT_EXCEEDED (and counts it) when the connection holds its limit already. Transports
 * without a connection (HTTP, createCaller) have no budget and hold nothing.
 */
export function holdSubscriptionSlot(ctx: Pick<TrpcContext, 'subscriptionSlots' | 'metrics'>): () => void {
  const slots = ctx.subscriptionSlots;
  if (!slots) return () => {};
  const release = slots.tryAcquire();
  if (release) return release;
  ctx.metrics.refused.inc({ reason: 'subscriptions_per_socket' });
  throw new AppError(
    'LIMIT_EXCEEDED',
    `Too many subscriptions on this connection (at most ${slots.limit}): close some before opening more`,
  );
}
