import { readdir, readFile, readlink } from 'node:fs/promises';

export type PortHolder = { pid: number; command: string };

/** Socket inodes listening on `port` (TCP, IPv4 and IPv6), from /proc/net/tcp{,6}. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      const localPort = local?.split(':').at(-1);
      if (state === '0A' && localPort && Number.parseInt(localPort, 16) === port && inode) inodes.add(inode);
    }
  }
  return inodes;
}

/**
 * The process listening on `port`, found the way `ss -ltnp` finds it: the socket's inode in
 * /proc/net/tcp, then the process whose /proc/<pid>/fd holds `socket:[inode]`. Undefined when
 * /proc is not there or the holder belongs to a user whose /proc entries we may not read.
 */
export async function portHolder(port: number): Promise<PortHolder | undefined> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return undefined;
  const pids = (await readdir('/proc').catch(() => [])).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(pid), command: await commandLine(pid) };
    }
  }
  return undefined;
}

async function commandLine(pid: string): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const command = raw.split('\0').filter(Boolean).join(' ');
  return command.length > 120 ? `${command.slice(0, 117)}...` : command;
}
