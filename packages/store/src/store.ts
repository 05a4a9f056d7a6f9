import { createContext, type StoreOptions } from './context.js';
import type { Db } from './db.js';
import { entitiesApi } from './entities.js';
import { recordsApi } from './records.js';
import { workspacesApi } from './workspaces.js';

/**
 * The store: workspaces, entities and records over one `Db`. Every record function takes the acting
 * principal and a workspace key; all record access applies `opts.scope` (TRUE for everyone today).
 */
export function createStore(db: Db, opts: StoreOptions = {}) {
  const ctx = createContext(db, opts);
  const { readRecords: _internal, ...records } = recordsApi(ctx);
  return {
    db,
    workspaces: workspacesApi(ctx),
    entities: entitiesApi(ctx),
    records,
  };
}

export type Store = ReturnType<typeof createStore>;
