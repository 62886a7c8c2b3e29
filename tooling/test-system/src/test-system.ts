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
  return startProvisioned(() => startNatsServer(options.nats));
}

export type ClusterTestSystem = Omit<TestSystem, 'nats'> & {
  /** Three nats-server processes from nats-cluster.conf; INGEST and the KV buckets at R3. */
  cluster: RunningNatsCluster;
};

/** The same five steps on a three-node JetStream cluster, every stream provisioned at R3. */
export async function startClusterTestSystem(): Promise<ClusterTestSystem> {
  const { nats: cluster, ...system } = await startProvisioned(() => startNatsCluster());
  return { cluster, ...system };
}

/** What the steps need of NATS: one server and a cluster both have it; a cluster has `replicas`. */
type Nats = Pick<RunningNatsServer, 'connect' | 'stop'> & { replicas?: number };

/** The five steps on whichever NATS `startNats` starts. */
async function startProvisioned<N extends Nats>(
  startNats: () => Promise<N>,
): Promise<Omit<TestSystem, 'nats'> & { nats: N }> {
  const [nats, database] = await Promise.allSettled([startNats(), migratedDatabase()]);
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
    await ensureStreams(operator, { replicas: nats.value.replicas ?? 1 });
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
