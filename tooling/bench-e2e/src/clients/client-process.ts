// A process of N subscribers (one WebSocket each), started by the orchestrator: connects them in
// waves, says `ready` once every one has its first state, `finished` once every one has ended,
// and hands over what each received on `report`.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { subscribeBullmq } from '../bullmq/subscriber';
import { onCommand, readConfig, tell } from '../ipc/parent';
import { subscribeSymbology } from '../symbology/subscriber';
import { ClientConfigSchema } from './client-config';
import type { Subscriber } from './recorder';

const config = readConfig(ClientConfigSchema);
const subscribers: Subscriber[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

onCommand(async (command) => {
  if (command.kind === 'report') {
    loopDelay.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    tell({
      kind: 'client-report',
      subscribers: subscribers.map((s) => s.recorder.record),
      loopDelayMs: { p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    });
  }
  if (command.kind === 'stop') await Promise.all(subscribers.map((s) => s.close()));
});

function open(index: number): Subscriber {
  const task = config.tasks[index % config.tasks.length]!;
  return config.system === 'symbology'
    ? subscribeSymbology(config, task, `bench-${index}`)
    : subscribeBullmq(config.wsUrl, task);
}

for (let start = 0; start < config.count; start += config.connectConcurrency) {
  const wave: Subscriber[] = [];
  for (let j = start; j < Math.min(config.count, start + config.connectConcurrency); j++)
    wave.push(open(config.offset + j));
  subscribers.push(...wave);
  await Promise.all(wave.map((s) => s.recorder.ready));
}
tell({ kind: 'ready' });
loopDelay.enable();
await Promise.all(subscribers.map((s) => s.recorder.done));
tell({ kind: 'finished' });
