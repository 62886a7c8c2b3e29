import { createSymbologyClient, watchTaskStatus } from '@symbology/client';
import { now } from '../clock';
import { createRecorder, type Subscriber } from '../clients/recorder';

export type EdgeTarget = { httpUrl: string; wsUrl: string };

/**
 * One subscriber as a Node program or a browser tab would be one: its own typed client and its
 * own WebSocket, watching `ingest.onStatus` of one task until the server ends the subscription.
 */
export function subscribeSymbology(target: EdgeTarget, task: string, clientId: string): Subscriber {
  const recorder = createRecorder(task);
  const client = createSymbologyClient({ url: target.httpUrl, wsUrl: target.wsUrl, clientId });
  // As any client: the first status whole, then deltas applied to it.
  const subscription = watchTaskStatus(client.api, task, {
    onStatus: (status) => recorder.receive(status.version, now()),
    onComplete: () => recorder.complete(),
    onError: (error) => recorder.fail(error),
  });
  return {
    recorder,
    close: async () => {
      subscription.unsubscribe();
      await client.close();
    },
  };
}
