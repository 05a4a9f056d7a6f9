import type { EntityDefinition, Locale, SchemaChange } from '@formwork/metadata';

/** One analysed change (`POST /api/entities/{entity}/analyse`): metadata's SchemaChange plus its record count. */
export type AnalysedChange = SchemaChange & { affectedCount: number | null };

/** What a definition change would do to existing records, as the server answers. */
export interface EntityChangeAnalysis {
  destructive: boolean;
  changes: AnalysedChange[];
}

export interface FormDesignerProps {
  /** The definition to edit; null designs a new entity. */
  entity: EntityDefinition | null;
  locale: Locale;
  /** Other entities of the workspace (relation targets, lookups, linkage). */
  knownEntities: EntityDefinition[];
  /** The server's change analysis of `next` against the stored definition. */
  analyse(next: EntityDefinition): Promise<EntityChangeAnalysis>;
  /** Store `next`; `confirmDestructive` once the user accepted a destructive change. */
  onSave(next: EntityDefinition, confirmDestructive: boolean): Promise<void>;
}
