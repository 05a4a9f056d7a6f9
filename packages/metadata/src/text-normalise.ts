/**
 * Text helpers shared by field types, dedupe keys and filters. `NFKC` turns full-width forms into
 * half-width ones (`ＡＢＣ１２３` → `ABC123`, the ideographic space U+3000 → a space).
 */

/** Full-width → half-width (and other compatibility forms), via Unicode NFKC. */
export function toHalfWidth(s: string): string {
  return s.normalize('NFKC');
}

/** Case-folded, half-width, with runs of white space collapsed to one space and the ends trimmed. */
export function foldText(s: string): string {
  return toHalfWidth(s).toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** True for `null`, `undefined`, `''`, white space only and `[]`: the values `required`/`isEmpty` treat as empty. */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

const CN_MOBILE = /^(?:\+?86|0086)?(1[3-9][0-9]{9})$/;

/**
 * A phone number as stored: half-width, separators (space, `-`, `.`, parentheses) removed, an optional
 * leading `+`; an 11-digit mainland China mobile loses its `+86`/`0086`/`86` prefix. Text containing
 * anything else (letters, `转`) is returned trimmed and left for validation to reject.
 */
export function canonicalPhone(s: string): string {
  const t = toHalfWidth(s).trim();
  if (!/^[0-9+\-\s().]+$/.test(t)) return t;
  const plus = t.startsWith('+');
  const digits = t.replace(/[^0-9]/g, '');
  const cn = CN_MOBILE.exec((plus ? '+' : '') + digits);
  if (cn?.[1] !== undefined) return cn[1];
  return (plus ? '+' : '') + digits;
}

/** The digits of a phone number for duplicate matching: `+86 138-0013-8000` → `13800138000`. */
export function phoneDedupeKey(s: string): string | null {
  const canonical = canonicalPhone(s);
  const digits = canonical.replace(/[^0-9]/g, '');
  return digits.length === 0 ? null : digits;
}
