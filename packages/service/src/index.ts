// The service kit: what every Symbology service does the same way. `./backoff` is also a subpath
// of its own, free of Node and NATS imports, for browser code.
export * from './backoff/backoff-delay';
export * from './connect/connect-as';
export * from './consume/pull-expiry';
export * from './env/env-fragments';
export * from './errors/jetstream-codes';
export * from './errors/transient';
export * from './errors/unavailable';
export * from './logging/create-logger';
export * from './ops/nats-check';
export * from './ops/ops-handler';
export * from './ops/ops-server';
export * from './ops/postgres-check';
export * from './ops/readiness';
export * from './provision/ensure-durable';
export * from './provision/ensure-streams';
export * from './publish/publish-event';
export * from './start/until-available';
export * from './workers/worker-entry';
export * from './workers/start-worker';
