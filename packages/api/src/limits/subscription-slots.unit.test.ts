import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../metrics';
import { holdSubscriptionSlot, PeerSubscriptionSlots, SubscriptionSlots } from './subscription-slots';

describe('holdSubscriptionSlot', () => {
  const setup = (perSocket: number, perPeer: number) => {
    const metrics = createApiMetrics(new Registry());
    const peers = new PeerSubscriptionSlots(perPeer);
    const socket = (peer: string) => ({ subscriptionSlots: new SubscriptionSlots(perSocket, peers.of(peer)), metrics });
    const refused = async (reason: string) =>
      (await metrics.refused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
    return { socket, refused };
  };

  it("given a peer holding its limit across its sockets, refuses its next subscription with LIMIT_EXCEEDED and counts it; another peer's are held", async () => {
    const { socket, refused } = setup(2, 3);
    const [a, b] = [socket('203.0.113.7'), socket('203.0.113.7')];
    holdSubscriptionSlot(a);
    holdSubscriptionSlot(a);
    holdSubscriptionSlot(b);
    expect(() => holdSubscriptionSlot(b)).toThrow(
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message:
          'Too many subscriptions from this address (at most 3 across its connections): close some before opening more',
      }),
    );
    expect(await refused('subscriptions_per_peer')).toBe(1);
    expect(() => holdSubscriptionSlot(socket('203.0.113.8'))).not.toThrow();
  });

  it("given a release, frees the socket's slot and the peer's, once however often it is called", () => {
    const { socket } = setup(1, 1);
    const a = socket('203.0.113.7');
    const release = holdSubscriptionSlot(a);
    expect(() => holdSubscriptionSlot(socket('203.0.113.7'))).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    release();
    release();
    const b = socket('203.0.113.7');
    holdSubscriptionSlot(b);
    // The double release gave back one slot, not two.
    expect(() => holdSubscriptionSlot(socket('203.0.113.7'))).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
  });

  it("given a socket at its own limit, refuses as the socket's, taking none of the peer's", async () => {
    const { socket, refused } = setup(1, 2);
    const a = socket('203.0.113.7');
    holdSubscriptionSlot(a);
    expect(() => holdSubscriptionSlot(a)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^Too many subscriptions on this connection \(at most 1\)/),
      }),
    );
    expect(await refused('subscriptions_per_socket')).toBe(1);
    expect(() => holdSubscriptionSlot(socket('203.0.113.7'))).not.toThrow();
  });

  it('keys on the peer as the other limits do: an IPv6 /64 is one peer', () => {
    const { socket } = setup(5, 1);
    holdSubscriptionSlot(socket('2001:db8:0:1::1'));
    expect(() => holdSubscriptionSlot(socket('2001:db8:0:1::2'))).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    expect(() => holdSubscriptionSlot(socket('2001:db8:0:2::1'))).not.toThrow();
  });
});
