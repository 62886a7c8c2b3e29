/**
 * The ingestions each network peer started through this web node that may still be running. A cap
 * on them (INGEST_ACTIVE_PER_PEER) keeps one client from holding the ingestion queue every other
 * user needs: within its rate limit a peer could start distinct tickers faster than EDGAR's 10
 * requests a second let the ingestors finish them, until INGEST_QUEUE_MAX refused everyone. Per
 * node, like the rate limits. A task is dropped from its peer's list once it is seen to have ended.
 */
export class PeerTasks {
  private readonly byPeer = new Map<string, Set<string>>();

  /** `maxPeers` bounds the memory: past it the peer recorded longest ago is forgotten. */
  constructor(private readonly maxPeers = 100_000) {}

  /** The tasks `peer` started that are not known to have ended. */
  of(peer: string): string[] {
    return [...(this.byPeer.get(peer) ?? [])];
  }

  add(peer: string, taskId: string): void {
    let tasks = this.byPeer.get(peer);
    if (!tasks) {
      if (this.byPeer.size >= this.maxPeers) this.byPeer.delete(this.byPeer.keys().next().value!);
      tasks = new Set();
      this.byPeer.set(peer, tasks);
    }
    tasks.add(taskId);
  }

  forget(peer: string, ended: readonly string[]): void {
    const tasks = this.byPeer.get(peer);
    if (!tasks) return;
    for (const taskId of ended) tasks.delete(taskId);
    if (tasks.size === 0) this.byPeer.delete(peer);
  }
}
