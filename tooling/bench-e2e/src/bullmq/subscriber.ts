import WebSocket from 'ws';
import { now } from '../clock';
import { createRecorder, type Subscriber } from '../clients/recorder';
import { StepMessageSchema, type SubscribeMessage } from './protocol';

/** One subscriber of the BullMQ reference: its own WebSocket, one job, until the final step. */
export function subscribeBullmq(wsUrl: string, jobId: string): Subscriber {
  const recorder = createRecorder(jobId);
  const ws = new WebSocket(wsUrl);
  ws.on('open', () => ws.send(JSON.stringify({ subscribe: jobId } satisfies SubscribeMessage)));
  ws.on('message', (data) => {
    const at = now();
    const parsed = StepMessageSchema.safeParse(JSON.parse(String(data)));
    if (!parsed.success) return recorder.fail(new Error(`malformed message: ${String(data)}`));
    recorder.receive(parsed.data.step, at);
    if (parsed.data.final) recorder.complete();
  });
  ws.on('error', (error) => recorder.fail(error));
  ws.on('close', () => recorder.fail(new Error('socket closed before the final step')));
  return {
    recorder,
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
