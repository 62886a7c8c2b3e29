import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { terminate } from '../process/signal-process';
import { WatchdogMessageSchema, type WatchedProcess } from './protocol';

// The launcher's watchdog: a small process of its own (own process group) that holds the read end
// of a pipe from the launcher. The launcher sends it the pid of each child it starts. When the pipe
// closes, the launcher is gone; if it went without stopping its children (SIGKILL, a crash, an OOM
// kill), the watchdog stops them, newest first as the launcher would, and removes the state file.
const GRACE_MS = 10_000;
const watched = new Map<number, WatchedProcess>();
const files = new Set<string>();

// Signals meant for the terminal's foreground group are the launcher's business, not ours.
for (const name of ['SIGINT', 'SIGHUP'] as const) process.on(name, () => {});

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const parsed = WatchdogMessageSchema.safeParse(parseJson(line));
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'watch') watched.set(message.pid, message);
    else if (message.kind === 'forget') watched.delete(message.pid);
    else files.add(message.path);
  })
  .on('close', () => {
    void cleanUp().then(() => process.exit(0));
  });

async function cleanUp(): Promise<void> {
  // The state file first: the instance it describes is going away.
  for (const file of files) rmSync(file, { force: true });
  for (const child of [...watched.values()].reverse()) {
    await terminate(child.pid, child.signal, child.group, GRACE_MS);
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
