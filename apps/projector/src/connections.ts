import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { CONNECTION_BOUNDS } from '@symbology/db';
import { connectAs } from '@symbology/service';
import postgres from 'postgres';

export type ConnectionConfig = {
  natsUrl: string;
  natsUser: string;
  natsPassword: string;
  databaseUrl: string;
};

export type Connections = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: postgres.Sql;
  close(): Promise<void>;
};

/** NATS (reconnecting forever) and a small Postgres pool, named so operators can tell who is who. */
export async function openConnections(config: ConnectionConfig, name: string, poolSize = 4): Promise<Connections> {
  const nc = await connectAs({ servers: config.natsUrl, user: config.natsUser, pass: config.natsPassword }, name);
  // The plain driver, not createDb's drizzle client: drizzle re-registers the driver's type
  // parsers (timestamps as strings, arrays untyped), and this app's queries are raw SQL anyway.
  const sql = postgres(config.databaseUrl, {
    max: poolSize,
    onnotice: () => {},
    ...CONNECTION_BOUNDS,
    connection: { application_name: name },
  });
  return {
    nc,
    js: jetstream(nc),
    // No JetStream round trip here (`checkAPI`): it fails while a cluster elects its meta leader,
    // and the first use (the stream's info) says more, and is retried while JetStream cannot answer.
    jsm: await jetstreamManager(nc, { checkAPI: false }),
    sql,
    close: async () => {
      await nc.drain().catch(() => nc.close());
      await sql.end({ timeout: 5 });
    },
  };
}
