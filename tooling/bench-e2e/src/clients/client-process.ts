// A process of N subscribers (one WebSocket each), started by the orchestrator once for all the
// rounds of a run, so that its code is as warm in the measured round as a long-lived client's.
// Each round: `subscribe` connects them to the round's tasks in waves and says `ready` once every
// one has its first state, then `finished` once every one has ended; `report` hands over what each
// received; `close` closes them for the next round.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { subscribeBullmq } from '../bullmq/subscriber';
import { onCommand, readConfig, tell } from '../ipc/parent';
import { subscribeSymbology } from '../symbology/subscriber';
import { ClientConfigSchema } from './client-config';
import type { Subscriber } from './recorder';

const config = readConfig(ClientConfigSchema);
let subscribers: Subscriber[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

onCommand(async (command) => {
  switch (command.kind) {
    case 'subscribe':
      return subscribe(command.tasks, Math.min(command.count ?? config.count, config.count));
    case 'report': {
      loopDelay.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      return tell({
        kind: 'client-report',
        subscribers: subscribers.map((s) => s.recorder.record),
        loopDelayMs: { p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
      });
    }
    case 'close':
      await closeAll();
      return tell({ kind: 'closed' });
    case 'stop':
      return closeAll();
  }
});

function open(task: string, index: number): Subscriber {
  return config.system === 'symbology'
    ? subscribeSymbology(config, task, `bench-${index}`)
    : subscribeBullmq(config.wsUrl, task);
}

async function subscribe(tasks: string[], count: number): Promise<void> {
  for (let start = 0; start < count; start += config.connectConcurrency) {
    const wave: Subscriber[] = [];
    for (let j = start; j < Math.min(count, start + config.connectConcurrency); j++) {
      const index = config.offset + j;
      wave.push(open(tasks[index % tasks.length]!, index));
    }
    subscribers.push(...wave);
    await Promise.all(wave.map((s) => s.recorder.ready));
  }
  tell({ kind: 'ready' });
  loopDelay.reset();
  loopDelay.enable();
  const round = subscribers;
  await Promise.all(round.map((s) => s.recorder.done));
  // A round closed before its end (the connect-only warm-up) is not a finished one.
  if (subscribers === round) tell({ kind: 'finished' });
}

async function closeAll(): Promise<void> {
  const closing = subscribers;
  subscribers = [];
  await Promise.all(closing.map((s) => s.close()));
  for (const s of closing) s.recorder.fail(new Error('closed by the bench'));
}

tell({ kind: 'ready' });
