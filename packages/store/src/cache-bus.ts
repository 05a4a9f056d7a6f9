/**
 * The cache bus: lets a process keep what it read from the database (entity definitions, resolved
 * credentials) without asking again on every request, and still see every committed change at once,
 * from any process. Triggers (migration 0004) NOTIFY `formwork_cache` with `<topic>:<schema>`;
 * subscribers drop what they cached for that topic.
 *
 * A cache may be trusted only while the bus is `live`. The subscription can drop (network, server
 * restart); notifications sent meanwhile are lost, so every (re)subscription flushes every cache, and
 * entries also expire after `maxAgeMs` as a backstop. Nothing here is needed for correctness: a
 * process without a live bus simply reads through.
 */
import type { Db } from './db.js';

export const CACHE_CHANNEL = 'formwork_cache';

export type CacheTopic = 'auth' | 'entity' | 'workspace';

export interface CacheBus {
  /** True while the subscription is established. */
  readonly live: boolean;
  /** How long a cached entry may be used at most, as a backstop to notifications. */
  readonly maxAgeMs: number;
  /** Calls `fn(schema)` for each notification of `topic`; `fn('*')` when everything must go. */
  on(topic: CacheTopic, fn: (schema: string) => void): void;
  close(): Promise<void>;
}

/** A bus that never goes live: caches read through (tests, tools). */
export const noCacheBus: CacheBus = {
  live: false,
  maxAgeMs: 0,
  on: () => {},
  close: async () => {},
};

export async function startCacheBus(db: Db, opts: { maxAgeMs?: number } = {}): Promise<CacheBus> {
  const handlers = new Map<CacheTopic, ((schema: string) => void)[]>();
  let live = false;
  const emit = (topic: CacheTopic, schema: string) => {
    for (const fn of handlers.get(topic) ?? []) fn(schema);
  };
  const flushAll = () => {
    for (const topic of handlers.keys()) emit(topic, '*');
  };
  const unlisten = await db.listen(
    CACHE_CHANNEL,
    (payload) => {
      const i = payload.indexOf(':');
      const topic = payload.slice(0, i) as CacheTopic;
      const schema = payload.slice(i + 1);
      // A workspace change (new, renamed, settings such as its time zone) touches everything cached.
      if (topic === 'workspace') flushAll();
      else emit(topic, schema);
    },
    () => {
      flushAll();
      live = true;
    },
  );
  return {
    get live() {
      return live;
    },
    maxAgeMs: opts.maxAgeMs ?? 30_000,
    on(topic, fn) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), fn]);
    },
    async close() {
      live = false;
      await unlisten();
    },
  };
}
