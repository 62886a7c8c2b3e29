/**
 * What a start that lost its port says: Node's EADDRINUSE, Go's and Postgres's "address already in
 * use", the launcher's PortsTakenError (its check found the port taken before starting anything).
 */
const PORT_CLASH = /EADDRINUSE|address already in use/i;

/** True when the error, or any error in its `cause` chain, says a port was already taken. */
export function isPortClash(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (!(e instanceof Error)) return PORT_CLASH.test(String(e));
    if (e.name === 'PortsTakenError' || (e as NodeJS.ErrnoException).code === 'EADDRINUSE') return true;
    if (PORT_CLASH.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}

/** Starts tried before a port clash is given up on: each loses only to a process binding in between. */
const PORT_CLASH_ATTEMPTS = 5;

/**
 * For a process that must be told its port before it starts (an embedded Postgres, a cluster's
 * routes, a service whose port is in its URL): `start` picks fresh ports (freePort()) each time it is
 * called, and is called again when it failed because another process took one of them between the
 * pick and the bind. Any other failure, or the last clash, is thrown as it is.
 */
export async function retryOnPortClash<T>(
  start: (attempt: number) => Promise<T>,
  { attempts = PORT_CLASH_ATTEMPTS }: { attempts?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt);
    } catch (error) {
      if (attempt >= attempts || !isPortClash(error)) throw error;
    }
  }
}
