import type { FilterNode } from '@formwork/metadata';

/** What a saved view remembers (the API's `config`). */
export interface ViewConfig {
  columns?: string[];
  filter?: FilterNode;
  sort?: string;
  q?: string;
}

/** A saved view as `GET /api/entities/{entity}/views` answers it. */
export interface SavedView {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  ownerId: string;
  position: number;
  config: ViewConfig;
  canEdit: boolean;
  createdAt?: string;
  updatedAt?: string;
}

/** One audit entry of a record (`GET …/records/{id}/history`). */
export interface HistoryItem {
  id: string | number;
  action: string;
  actor: string | null;
  source: string | null;
  at: string;
  changes: Array<{ field: string; before: unknown; after: unknown }>;
}
