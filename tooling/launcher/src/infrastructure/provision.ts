import { connect } from '@nats-io/transport-node';
import { devNatsPassword } from '@symbology/contracts';
import { runMigrations } from '@symbology/db/migrate';
import { passwordOf } from '@symbology/dev-services';
import { describeChange, ensureStreams, streamReplicasFromEnv } from '@symbology/service';

/**
 * What production's deploy steps do before the services start: the migrations, then the INGEST
 * stream and KV buckets as the operator role (both idempotent). `ownNats`: the server is ours,
 * started with the passwords dev-services gives nats.conf. `log` is told what provisioning changed
 * on a stream or bucket that already existed (its replicas raised, say).
 */
export async function prepare(
  databaseUrl: string,
  natsUrl: string,
  ownNats: boolean,
  env = process.env,
  log: (line: string) => void = () => {},
): Promise<void> {
  await runMigrations(databaseUrl);
  const nc = await connect({
    servers: natsUrl,
    user: env.NATS_OPERATOR_USER ?? 'operator',
    pass: env.NATS_OPERATOR_PASSWORD ?? (ownNats ? passwordOf('operator') : devNatsPassword('operator')),
    name: 'symbology-launcher',
  });
  try {
    const changes = await ensureStreams(nc, { replicas: streamReplicasFromEnv(env) });
    for (const change of changes) log(`provisioning changed ${describeChange(change)}`);
  } finally {
    await nc.close();
  }
}
