import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ReplySchema, type Command, type Reply, type ReplyOf } from './messages';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type BenchChild = {
  readonly name: string;
  readonly pid: number;
  send(command: Command): void;
  /** The next reply of this kind; one that came before anybody asked is kept until asked for. */
  next<K extends Reply['kind']>(kind: K, timeoutMs: number): Promise<ReplyOf<K>>;
  /** Asks it to stop and waits for it to exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
};

type Waiter = { kind: Reply['kind']; resolve(reply: Reply): void; reject(error: Error): void };

/**
 * Starts one of the bench's own processes (publisher, client, reference server) under tsx, with
 * its configuration as a JSON argument and an IPC channel for commands and replies. Its stdout goes
 * to our stderr: our stdout carries only the JSON lines of the results.
 */
export function forkChild(name: string, entry: URL, config: unknown): BenchChild {
  const child = fork(fileURLToPath(entry), [JSON.stringify(config)], {
    cwd: PACKAGE_DIR,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const inbox: Reply[] = [];
  const waiters: Waiter[] = [];
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiters.splice(0)) w.reject(error);
  };
  child.on('message', (raw) => {
    const parsed = ReplySchema.safeParse(raw);
    if (!parsed.success) return fail(new Error(`${name} sent a malformed message: ${parsed.error.message}`));
    const reply = parsed.data;
    if (reply.kind === 'failed') return fail(new Error(`${name} failed: ${reply.message}`));
    const at = waiters.findIndex((w) => w.kind === reply.kind);
    if (at >= 0) waiters.splice(at, 1)[0]!.resolve(reply);
    else inbox.push(reply);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => fail(new Error(`${name} exited (code ${code}, signal ${signal})`)));

  return {
    name,
    pid: child.pid ?? -1,
    send: (command) => void child.send(command),
    next: <K extends Reply['kind']>(kind: K, timeoutMs: number) =>
      new Promise<ReplyOf<K>>((resolve, reject) => {
        const at = inbox.findIndex((r) => r.kind === kind);
        if (at >= 0) return resolve(inbox.splice(at, 1)[0] as ReplyOf<K>);
        if (failure) return reject(failure);
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${name}: no '${kind}' within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          kind,
          resolve: (reply) => (clearTimeout(timer), resolve(reply as ReplyOf<K>)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        };
        waiters.push(waiter);
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ kind: 'stop' } satisfies Command);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
