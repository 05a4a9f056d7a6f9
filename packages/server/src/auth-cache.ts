/**
 * Resolved credentials kept in memory, so a request costs no authentication round-trip. Safe with many
 * processes: every committed change to users, sessions, API tokens, members, departments or roles
 * NOTIFYs the cache bus (triggers, migration 0004) and every process drops all it holds; entries also
 * expire after the bus's `maxAgeMs` and never outlive their credential. Without a live bus it reads
 * through. Failures are never cached.
 */
import { createHash } from 'node:crypto';
import type { CacheBus } from '@formwork/store';
import type { Authenticated } from './auth.js';

const MAX_ENTRIES = 10_000;

type Authenticate = (token: string, workspace: string) => Promise<Authenticated>;

export function cachedAuthenticate(authenticate: Authenticate, bus: CacheBus, now: () => Date): Authenticate {
  const entries = new Map<string, { value: Authenticated; at: number }>();
  // Bumped on every invalidation: a lookup that started before one must not store its answer.
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  bus.on('auth', clear);
  bus.on('workspace', clear);
  return async (token, workspace) => {
    if (!bus.live) return authenticate(token, workspace);
    const key = createHash('sha256').update(token).update('\0').update(workspace).digest('base64');
    const hit = entries.get(key);
    if (hit) {
      const expired = hit.value.expiresAt !== undefined && hit.value.expiresAt <= now();
      if (!expired && performance.now() - hit.at < bus.maxAgeMs) return hit.value;
      entries.delete(key);
    }
    const at = performance.now();
    const started = generation;
    const value = await authenticate(token, workspace);
    if (bus.live && generation === started) {
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, at });
    }
    return value;
  };
}
