/**
 * A deep copy of JSON data, equal to what `JSON.parse(JSON.stringify(v))` gives (keys whose value is
 * `undefined` are left out; `undefined` in an array, NaN and ±Infinity become `null`; -0 becomes 0) at a
 * fraction of its cost: every action of a step copies the instance context before it changes it.
 */
export function cloneJson<T>(v: T): T {
  if (typeof v === 'number') return (Number.isFinite(v) ? v || 0 : null) as T;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i] === undefined ? null : cloneJson(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = cloneJson(x);
  return out as T;
}
