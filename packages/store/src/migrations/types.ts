/**
 * A versioned migration. `system` runs once per database on the `formwork` schema; `workspace` runs
 * once per workspace schema (for every existing workspace when the migration is applied, and for every
 * workspace created later). Both run inside the migration transaction. SQL only: the text of every
 * migration is hashed to key the test fixture cache.
 */
export interface Migration {
  /** `NNNN-name`, applied in this order. */
  id: string;
  system?: string;
  /** DDL for one workspace schema; `schema` is already validated and quoted. */
  workspace?: (schema: string) => string;
}
