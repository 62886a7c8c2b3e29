import type { NatsConnection } from '@nats-io/transport-node';
import { runMigrations } from '@symbology/db/migrate';
import {
  createTestDatabase,
  startNatsCluster,
  startNatsServer,
  type RunningNatsCluster,
  type NatsServerOptions,
  type RunningNatsServer,
  type TestDatabase,
} from '@symbology/dev-services';
import { ensureStreams } from '@symbology/service';

export type TestSystem = {
  /** A real nats-server from the repo's nats.conf, on free ports. */
  nats: RunningNatsServer;
  /** A throwaway database with every migration applied. */
  database: TestDatabase;
  /** Connected as the operator role, after the INGEST stream and KV buckets were provisioned. */
  operator: NatsConnection;
  /** Closes the operator connection, drops the database, stops nats-server. */
  stop(): Promise<void>;
};

export type TestSystemOptions = { nats?: NatsServerOptions };

/**
 * The five steps every int test and bench needs, as production does them: nats-server from
 * nats.conf, a throwaway database, migrations, an operator connection, stream + KV provisioning.
 * NATS and the database start side by side; if either fails, whatever did start is stopped.
 */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const [nats, database] = await Promise.allSettled([startNatsServer(options.nats), migratedDatabase()]);
  if (nats.status === 'rejected' || database.status === 'rejected') {
    if (nats.status === 'fulfilled') await nats.value.stop();
    if (database.status === 'fulfilled') await database.value.drop().catch(() => {});
    throw nats.status === 'rejected' ? nats.reason : (database as PromiseRejectedResult).reason;
  }
  const stopInfrastructure = async () => {
    await database.value.drop().catch(() => {});
    await nats.value.stop();
  };
  let operator: NatsConnection;
  try {
    operator = await nats.value.connect('operator');
    await ensureStreams(operator);
  } catch (error) {
    await stopInfrastructure();
    throw error;
  }
  return {
    nats: nats.value,
    database: database.value,
    operator,
    stop: async () => {
      await operator.close().catch(() => {});
      await stopInfrastructure();
    },
  };
}

async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  try {
    await runMigrations(database.url);
    return database;
  } catch (error) {
    await database.drop().catch(() => {});
    throw error;
  }
}

export type ClusterTestSystem = Omit<TestSystem, 'nats'> & {
  /** Three nats-server processes from nats-cluster.conf; INGEST and the KV buckets at R3. */
  cluster: RunningNatsCluster;
};

/** The same five steps on a three-node JetStream cluster, every stream provisioned at R3. */
export async function startClusterTestSystem(): Promise<ClusterTestSystem> {
  const [cluster, database] = await Promise.allSettled([startNatsCluster(), migratedDatabase()]);
  if (cluster.status === 'rejected' || database.status === 'rejected') {
    if (cluster.status === 'fulfilled') await cluster.value.stop();
    if (database.status === 'fulfilled') await database.value.drop().catch(() => {});
    throw cluster.status === 'rejected' ? cluster.reason : (database as PromiseRejectedResult).reason;
  }
  const stopInfrastructure = async () => {
    await database.value.drop().catch(() => {});
    await cluster.value.stop();
  };
  let operator: NatsConnection;
  try {
    operator = await cluster.value.connect('operator');
    await ensureStreams(operator, { replicas: cluster.value.replicas });
  } catch (error) {
    await stopInfrastructure();
    throw error;
  }
  return {
    cluster: cluster.value,
    database: database.value,
    operator,
    stop: async () => {
      await operator.close().catch(() => {});
      await stopInfrastructure();
    },
  };
}
