/**
 * How long each pull request of a `consume()` lives: pass it as `expires`. The server sends idle
 * heartbeats at half of it, and the client pulls again after two missed. A pull that never
 * reaches its consumer (on a cluster, sent before the consumer's server has made its interest
 * known; or a consumer deleted and provisioned again) is then made again within seconds; with the
 * client's default, 30 s, a read would sit idle that long, past every stall guard of ours.
 */
export const PULL_EXPIRES_MS = 5_000;
