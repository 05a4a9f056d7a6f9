import type { User } from '@formwork/client';
import type { EntityDefinition, Locale } from '@formwork/metadata';
import { createContext, useContext } from 'react';
import type { Api, Session } from './api.js';

export type EntityInfo = EntityDefinition & { version?: number };

export interface AppState {
  api: Api;
  session: Session;
  locale: Locale;
  setLocale(l: Locale): void;
  entities: EntityInfo[];
  reloadEntities(): Promise<EntityInfo[]>;
  users: User[];
  /** id → display name of members (and departments when known). */
  names: Map<string, string>;
  isAdmin: boolean;
  /** Whether the user may do `action` (create, read, update, delete…) on the entity's records. */
  can(entity: string, action: string): boolean;
  /** Hidden and read-only fields of the entity for this user (for the form). */
  fieldAccess(entity: string): Record<string, 'readOnly' | 'hidden'>;
  /** Narrow screen (< 768 px): one column, cards instead of tables, full-width drawers. */
  mobile: boolean;
  logout(): Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the app');
  return s;
}
