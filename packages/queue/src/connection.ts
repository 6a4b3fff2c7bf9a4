// One Redis connection from a URL (redis://, rediss:// with TLS, user and password in the URL), set up as BullMQ needs it.
import { Redis, type RedisOptions } from 'ioredis';
import { safeMessage } from './redact.js';

/** Connection settings besides the URL (ioredis options: `tls` certificates, `connectTimeout`, …). */
export type ConnectionOptions = Omit<RedisOptions, 'maxRetriesPerRequest'>;

/**
 * A Redis client for BullMQ: `maxRetriesPerRequest: null` (BullMQ's blocking commands need it).
 * The URL may carry a user and password (`redis://user:pass@host:6379`, Redis 6 ACL users) and
 * `rediss://` turns TLS on.
 *
 * @param url - the Redis URL
 * @param options - more ioredis options (`tls: { ca }` for a private certificate authority)
 * @returns the client (connecting in the background)
 */
export function connect(url: string, options: ConnectionOptions = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, ...options });
  // ioredis reports connection errors as events; without a listener it prints them itself (with the URL).
  client.on('error', () => {});
  return client;
}

/**
 * Waits until a client answers PING, or fails after `ms` with a message that holds no credentials.
 *
 * @param client - the client
 * @param url - its URL (to mask its password in the error)
 * @param ms - how long to wait
 * @throws Error when Redis does not answer in time or refuses the credentials
 */
export async function waitForRedis(client: Redis, url: string, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  const onError = (e: unknown): void => {
    lastError = e;
  };
  client.on('error', onError);
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms${lastError === undefined ? '' : `: ${safeMessage(lastError, url)}`}`)), ms);
      }),
    ]);
  } catch (e) {
    throw new Error(safeMessage(e, url));
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}
