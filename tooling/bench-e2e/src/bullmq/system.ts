import { randomBytes } from 'node:crypto';
import { forkChild } from '../ipc/fork-child';
import type { StartSystem } from '../run/edge';
import type { WorkerConfig, WsServerConfig } from './reference-config';
import { redisServerPid } from './redis';

/**
 * The BullMQ reference: the ws server and the worker, each its own process, on a queue of its own
 * in the machine's Redis (removed again when the run stops).
 */
export function bullmqSystem(redisUrl: string): StartSystem {
  return async ({ shape }) => {
    const queue = `bench-e2e-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const serverConfig: WsServerConfig = { redisUrl, queue };
    const server = forkChild('bullmq-ws-server', new URL('./ws-server-process.ts', import.meta.url), serverConfig);
    const workerConfig: WorkerConfig = { ...serverConfig, shape };
    const worker = forkChild('bullmq-worker', new URL('./worker-process.ts', import.meta.url), workerConfig);
    const stop = async () => {
      await worker.stop();
      await server.stop();
    };
    try {
      const { port } = await server.next('ready', 60_000);
      await worker.next('ready', 60_000);
      const redisPid = await redisServerPid(redisUrl);
      return {
        edge: { pid: server.pid, httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` },
        publisher: worker,
        pids: { publisher: worker.pid, ...(redisPid ? { redis: redisPid } : {}) },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  };
}
