import type { AnyRoute } from './route.js';

/**
 * Structural checks of an OpenAPI 3.1 document (used by tests): version and info, every route present with a
 * unique operationId and responses, path parameters declared, every `$ref` resolving inside the document.
 * Returns the problems found (empty = fine).
 */
export function checkOpenApi(doc: Record<string, unknown>, routes: readonly AnyRoute[]): string[] {
  const problems: string[] = [];
  if (doc.openapi !== '3.1.0') problems.push('openapi must be 3.1.0');
  const info = doc.info as { title?: unknown; version?: unknown } | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string')
    problems.push('info.title/version');
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const r of routes) {
    if (!paths[r.path]?.[r.method.toLowerCase()]) problems.push(`missing ${r.method} ${r.path}`);
  }
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const id = op.operationId;
      if (typeof id !== 'string') problems.push(`${method} ${path}: no operationId`);
      else if (ids.has(id)) problems.push(`duplicate operationId ${id}`);
      else ids.add(id);
      if (!op.responses || Object.keys(op.responses).length === 0)
        problems.push(`${method} ${path}: no responses`);
      const declared = (
        (op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean }>
      ).filter((p) => p.in === 'path');
      for (const t of templated) {
        if (!declared.some((p) => p.name === t && p.required === true)) {
          problems.push(`${method} ${path}: path parameter ${t} not declared`);
        }
      }
      for (const p of declared) {
        if (!templated.includes(p.name)) problems.push(`${method} ${path}: parameter ${p.name} not in path`);
      }
    }
  }
  const resolve = (pointer: string): unknown => {
    if (!pointer.startsWith('#/')) return undefined;
    let node: unknown = doc;
    for (const raw of pointer.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && resolve(x) === undefined)
          problems.push(`unresolved $ref ${x}`);
        else walk(x);
      }
    }
  };
  walk(doc);
  return problems;
}
