import { parentPort } from 'node:worker_threads';
import { LaneFold, type LaneInit, type LaneReply } from './fold-lane';
import { unpackEntries, type PackedEntries } from './pack-entries';

/** What the main thread asks of a rebuild worker; each request gets one answer, in order. */
export type LaneRequest =
  | { kind: 'init'; init: LaneInit }
  | { kind: 'apply'; packed: PackedEntries }
  | { kind: 'flush' }
  | { kind: 'statuses' };

/**
 * A rebuild worker thread: parses and folds its share of the tasks, and builds their rows; the
 * main thread reads the stream and writes. Anything thrown here ends the thread, which fails
 * the rebuild (worker-lane.ts).
 */
const port = parentPort;
if (!port) throw new Error('rebuild-worker.ts runs as a worker thread only');
let fold: LaneFold | undefined;
port.on('message', (request: LaneRequest) => port.postMessage(answer(request)));

function answer(request: LaneRequest): LaneReply | ReturnType<LaneFold['statuses']> {
  if (request.kind === 'init') {
    fold = new LaneFold(request.init);
    return { skipped: 0, rows: undefined };
  }
  if (!fold) throw new Error(`rebuild worker asked to ${request.kind} before init`);
  switch (request.kind) {
    case 'apply':
      return fold.apply(unpackEntries(request.packed));
    case 'flush':
      return fold.flush();
    case 'statuses':
      return fold.statuses();
    default:
      return request satisfies never;
  }
}
