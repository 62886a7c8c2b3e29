import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1. Nothing keeps it free: another process may
 * bind it before the one it is given to does. A process that can bind port 0 and say what it got
 * should do that instead; otherwise start it through retryOnPortClash, which picks again.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
