import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';

/** BullMQ connection options for a redis:// URL (host, port, database). */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** The Redis server's own pid (from INFO), to sample its CPU; undefined when it cannot be reached. */
export async function redisServerPid(url: string): Promise<number | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    const info = await redis.info('server');
    const pid = /^process_id:(\d+)/m.exec(info)?.[1];
    return pid ? Number(pid) : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
