import type { NatsConnection } from '@nats-io/transport-node';
import { subjects, type TaskStatus } from '@symbology/contracts';
import { createDb, taskFilings, tasks, type Database } from '@symbology/db';
import type { RunningNatsServer, TestDatabase } from '@symbology/dev-services';
import { startTestSystem as startInfrastructure } from '@symbology/test-system';
import { loadEnv, type Env } from '../env';

export type TestSystem = {
  nats: RunningNatsServer;
  database: TestDatabase;
  db: Database;
  /** The projector's NATS user: publishes status.<taskId> as the real projector does. */
  projector: NatsConnection;
  env(overrides?: Partial<Env>): Env;
  /** Writes a status into tasks + task_filings and announces it, as one projector commit would. */
  project(status: TaskStatus): Promise<void>;
  stop(): Promise<void>;
};

/** A real nats-server from nats.conf and a throwaway migrated database, provisioned like production. */
export async function startTestSystem(): Promise<TestSystem> {
  const infrastructure = await startInfrastructure();
  const { nats, database } = infrastructure;
  const projector = await nats.connect('projector');
  const db = createDb(database.url, { max: 4 });
  const web = nats.credentials('web');
  return {
    nats,
    database,
    db,
    projector,
    env: (overrides = {}) => ({
      ...loadEnv({}),
      NATS_URL: web.servers,
      NATS_PASSWORD: web.pass,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      PORT: 0,
      WEB_NEXT_MODE: 'off',
      ...overrides,
    }),
    project: async (status) => {
      await writeStatusRows(db, status);
      projector.publish(subjects.status(status.taskId), JSON.stringify(status));
      await projector.flush();
    },
    stop: async () => {
      await projector.close();
      await db.$client.end();
      await infrastructure.stop();
    },
  };
}

export async function writeStatusRows(db: Database, s: TaskStatus): Promise<void> {
  const row = {
    taskId: s.taskId,
    ticker: s.ticker,
    status: s.status,
    progress: s.progress,
    message: s.message,
    stepsCompleted: s.stepsCompleted,
    totalSteps: s.totalSteps,
    companyCik: s.company?.cik ?? null,
    companyName: s.company?.name ?? null,
    error: s.error,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
  await db.transaction(async (tx) => {
    await tx.insert(tasks).values(row).onConflictDoUpdate({ target: tasks.taskId, set: row });
    for (const [position, f] of s.filings.entries()) {
      const filing = { taskId: s.taskId, position, ...f, error: f.error ?? null };
      await tx
        .insert(taskFilings)
        .values(filing)
        .onConflictDoUpdate({ target: [taskFilings.taskId, taskFilings.accession], set: filing });
    }
  });
}
