import type { ConsumerConfig, ConsumerInfo, ConsumerUpdateConfig, JetStreamManager } from '@nats-io/jetstream';
import { isConsumerExists, isConsumerNotFound } from '../errors/jetstream-codes';

export type DurableConfig = Partial<ConsumerConfig> & { durable_name: string };

export type EnsuredDurable = { action: 'created' | 'updated' | 'unchanged'; info: ConsumerInfo };

/**
 * Where a new consumer starts. They apply only when it is created: an existing durable keeps its
 * position (its acks say where it is), and the server refuses to change them anyway.
 */
const START_POSITION = ['deliver_policy', 'opt_start_seq', 'opt_start_time'] as const;

/**
 * Creates the durable consumer `config.durable_name` on `stream`, or brings the settings of the
 * existing one up to `config` (only when one differs, so a routine start writes nothing). Safe to
 * run at every start from every replica at once; kept apart from the consume loop, which binds.
 */
export async function ensureDurable(
  jsm: JetStreamManager,
  stream: string,
  config: DurableConfig,
): Promise<EnsuredDurable> {
  const name = config.durable_name;
  const existing = await jsm.consumers.info(stream, name).catch((error: unknown) => {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  });
  if (existing) return updateIfChanged(jsm, stream, config, existing);
  try {
    return { action: 'created', info: await jsm.consumers.add(stream, config) };
  } catch (error) {
    // Another replica created it between our info and add; the server refuses only when its
    // settings differ from ours, so bring them up to ours.
    if (!isConsumerExists(error)) throw error;
    return updateIfChanged(jsm, stream, config, await jsm.consumers.info(stream, name));
  }
}

async function updateIfChanged(
  jsm: JetStreamManager,
  stream: string,
  config: DurableConfig,
  current: ConsumerInfo,
): Promise<EnsuredDurable> {
  const wanted = settable(config);
  if (changedSettings(wanted, current.config).length === 0) return { action: 'unchanged', info: current };
  const info = await jsm.consumers.update(stream, config.durable_name, wanted as Partial<ConsumerUpdateConfig>);
  return { action: 'updated', info };
}

function settable(config: DurableConfig): Partial<ConsumerConfig> {
  const wanted: Partial<ConsumerConfig> = { ...config };
  delete wanted.durable_name;
  for (const key of START_POSITION) delete wanted[key];
  return wanted;
}

/** The settings in `wanted` whose value on the server differs (the server fills in the rest). */
export function changedSettings(wanted: Partial<ConsumerConfig>, current: Partial<ConsumerConfig>): string[] {
  return Object.entries(wanted)
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key as keyof ConsumerConfig]))
    .map(([key]) => key);
}
