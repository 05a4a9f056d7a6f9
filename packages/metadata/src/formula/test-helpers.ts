import type { FormulaContext, FormulaValue } from './ast.js';
import { evaluateFormula } from './evaluate.js';
import { parseFormula } from './parser.js';

/** 2024-05-01 16:30 UTC = 2024-05-02 00:30 in Asia/Shanghai (a day boundary between the two zones). */
export const NOW = new Date('2024-05-01T16:30:00Z');

export function context(
  data: Record<string, unknown> = {},
  timeZone = 'Asia/Shanghai',
  now = NOW,
): FormulaContext {
  return {
    get: (path) => {
      const [a, b] = path;
      if (a === undefined || !Object.hasOwn(data, a)) return undefined;
      const v = data[a];
      if (path.length === 1) return v;
      if (b === undefined || !Array.isArray(v)) return undefined;
      return v.map((row: unknown) =>
        typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[b] : undefined,
      );
    },
    now,
    timeZone,
  };
}

export type Outcome = { value: FormulaValue } | { error: string };

/** Parse and evaluate; a syntax error fails the test loudly. */
export function run(
  src: string,
  data: Record<string, unknown> = {},
  timeZone = 'Asia/Shanghai',
  now = NOW,
): Outcome {
  const p = parseFormula(src);
  if (!p.ok) throw new Error(`syntax error in ${src}: ${p.issue.message.en}`);
  const r = evaluateFormula(p.ast, context(data, timeZone, now));
  return r.ok ? { value: r.value } : { error: r.code };
}

/** The value of a formula (throws when it evaluates to an error). */
export function value(
  src: string,
  data: Record<string, unknown> = {},
  timeZone = 'Asia/Shanghai',
  now = NOW,
): FormulaValue {
  const r = run(src, data, timeZone, now);
  if ('error' in r) throw new Error(`${src} failed with ${r.error}`);
  return r.value;
}

/** The error code of a formula (throws when it evaluates to a value). */
export function errorOf(src: string, data: Record<string, unknown> = {}): string {
  const r = run(src, data);
  if ('value' in r) throw new Error(`${src} evaluated to ${JSON.stringify(r.value)}`);
  return r.error;
}
