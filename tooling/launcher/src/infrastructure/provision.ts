import { connect } from '@nats-io/transport-node';
import { devNatsPassword } from '@symbology/contracts';
import { runMigrations } from '@symbology/db/migrate';
import { passwordOf } from '@symbology/dev-services';
import { describeChange, ensureStreams, streamReplicasFromEnv } from '@symbology/service';
import { step, withoutPassword } from '../startup-error';

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
  await step(
    {
      doing: `applying the database migrations to Postgres at ${withoutPassword(databaseUrl)}`,
      hint: 'the error says which statement failed; `pnpm db:migrate` (with this DATABASE_URL) runs the same migrations on their own',
    },
    () => runMigrations(databaseUrl),
  );
  const user = env.NATS_OPERATOR_USER ?? 'operator';
  const nc = await step(
    {
      doing: `connecting to NATS at ${withoutPassword(natsUrl)}${ownNats ? '' : ' (NATS_URL)'} as ${user}`,
      hint: ownNats
        ? 'the nats lines above say why'
        : 'check that nats-server is running there and that NATS_URL names it (and NATS_OPERATOR_USER / NATS_OPERATOR_PASSWORD, for an authorization error); or unset NATS_URL to let the launcher start its own nats-server from nats.conf',
    },
    () =>
      connect({
        servers: natsUrl,
        user,
        pass: env.NATS_OPERATOR_PASSWORD ?? (ownNats ? passwordOf('operator') : devNatsPassword('operator')),
        name: 'symbology-launcher',
      }),
  );
  try {
    const changes = await step(
      {
        doing: `provisioning the INGEST stream and KV buckets on NATS at ${withoutPassword(natsUrl)} as ${user}`,
        hint: `the ${user} user needs JetStream rights (nats.conf), and NATS_STREAM_REPLICAS no more replicas than the servers NATS has`,
      },
      () => ensureStreams(nc, { replicas: streamReplicasFromEnv(env) }),
    );
    for (const change of changes) log(`provisioning changed ${describeChange(change)}`);
  } finally {
    await nc.close();
  }
}
