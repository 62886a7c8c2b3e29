import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const NATS_CONF = `${REPO_ROOT}nats.conf`;

let cached: Promise<string> | undefined;

/** Path of a nats-server 2.10+, installed into .tools/ by scripts/ensure-nats-server.sh if needed. */
export function natsServerBinary(): Promise<string> {
  cached ??= promisify(execFile)('bash', [`${REPO_ROOT}scripts/ensure-nats-server.sh`], {
    maxBuffer: 1 << 20,
  }).then(({ stdout }) => stdout.trim().split('\n').at(-1) ?? '');
  return cached;
}
