import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: ['@symbology/api', '@symbology/contracts', '@symbology/db', '@symbology/service'],
  // Loaded from node_modules at run time, so route handlers share the custom server's instances
  // (connections, error classes) instead of bundling second copies.
  serverExternalPackages: [
    '@nats-io/transport-node',
    '@nats-io/jetstream',
    '@nats-io/kv',
    '@nats-io/nats-core',
    'postgres',
    'drizzle-orm',
    'pino',
    'prom-client',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
