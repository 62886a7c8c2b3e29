import { createServer } from 'node:net';
import { portHolder } from './port-holder';

export type NeededPort = { port: number; what: string; variable: string };

/** Binds 0.0.0.0:port for a moment: taken when anything listens on it, on any address. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export class PortsTakenError extends Error {
  override readonly name = 'PortsTakenError';
}

/**
 * Refuses to start when a port the launcher would give a service is taken: a service that cannot
 * bind dies, and whatever holds the port would answer its readiness check instead. Names each
 * port, what needed it, the process holding it where /proc tells, and the variable that moves it.
 */
export async function assertPortsFree(needed: readonly NeededPort[]): Promise<void> {
  const problems: string[] = [];
  for (const { port, what, variable } of needed) {
    if (await isFree(port)) continue;
    const holder = await portHolder(port);
    const by = holder ? `pid ${holder.pid} (${holder.command})` : 'another process';
    problems.push(`port ${port} (${what}) is taken by ${by}; stop it or choose another port with ${variable}`);
  }
  if (problems.length > 0) throw new PortsTakenError(problems.join('\n'));
}
