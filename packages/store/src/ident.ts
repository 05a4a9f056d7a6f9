/** Validated, quoted SQL identifiers. Nothing else is ever spliced into SQL text. */

const WORKSPACE_KEY = /^[a-z][a-z0-9_]{0,30}$/;
const ENTITY_KEY = /^[a-z][a-z0-9_]{0,47}$/;
const FIELD_KEY = /^[a-z][a-zA-Z0-9_]{0,62}$/;

export function isWorkspaceKey(key: unknown): key is string {
  return typeof key === 'string' && WORKSPACE_KEY.test(key);
}
export function isEntityKey(key: unknown): key is string {
  return typeof key === 'string' && ENTITY_KEY.test(key);
}
export function isFieldKey(key: unknown): key is string {
  return typeof key === 'string' && FIELD_KEY.test(key);
}

/** Quotes an identifier that has already been validated (throws on anything unexpected). */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

/** `"ws_<key>"` */
export function workspaceSchema(ws: string): string {
  if (!isWorkspaceKey(ws)) throw new Error(`invalid workspace key: ${ws}`);
  return quoteIdent(`ws_${ws}`);
}

/** `"ws_<key>"."e_<entity>"` */
export function entityTable(ws: string, entity: string): string {
  if (!isEntityKey(entity)) throw new Error(`invalid entity key: ${entity}`);
  return `${workspaceSchema(ws)}.${quoteIdent(`e_${entity}`)}`;
}

/** A SQL string literal for a validated field key (used inside `data->'key'`). */
export function fieldLiteral(key: string): string {
  if (!isFieldKey(key)) throw new Error(`invalid field key: ${key}`);
  return `'${key}'`;
}
