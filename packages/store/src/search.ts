/**
 * Text search that works for Chinese and English without a dictionary. Pure.
 *
 * Each record stores `search_text` — the folded (NFKC, lower-cased, white space collapsed) text of its
 * searchable fields joined by newlines — and `search_tokens`, a deduplicated array indexed with GIN:
 * - runs of CJK characters give every character (unigram) and every pair of neighbours (bigram);
 * - other words (letters and digits) give their trigrams, or the word itself when shorter than 3.
 *
 * A query `q` becomes `search_tokens @> queryTokens(q) AND search_text LIKE '%q%'`: the tokens make the
 * GIN index narrow the candidates, the LIKE makes the match exact. Query tokens are chosen so that they
 * are always a subset of the tokens of any text containing `q` (short Latin words are left to the LIKE,
 * since they may be part of a longer stored word), so the index never hides a match.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
/** Bound per record so a huge long text cannot blow up the index. */
export const MAX_SEARCH_TEXT = 20_000;
export const MAX_TOKENS = 4_000;

/** NFKC (full-width → half-width), lower case, runs of white space → one space, trimmed. */
export function foldSearchText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

type Run = { cjk: boolean; chars: string[] };

function runs(folded: string): Run[] {
  const out: Run[] = [];
  let cur: Run | undefined;
  for (const ch of folded) {
    const cjk = CJK.test(ch);
    if (!cjk && !WORD.test(ch)) {
      cur = undefined;
      continue;
    }
    if (!cur || cur.cjk !== cjk) {
      cur = { cjk, chars: [] };
      out.push(cur);
    }
    cur.chars.push(ch);
  }
  return out;
}

function addGrams(set: Set<string>, chars: string[], n: number): void {
  for (let i = 0; i + n <= chars.length; i++) set.add(chars.slice(i, i + n).join(''));
}

/** The tokens stored for a (folded) text. */
export function textTokens(folded: string): string[] {
  const set = new Set<string>();
  for (const r of runs(folded)) {
    if (r.cjk) {
      addGrams(set, r.chars, 1);
      addGrams(set, r.chars, 2);
    } else if (r.chars.length < 3) set.add(r.chars.join(''));
    else addGrams(set, r.chars, 3);
    if (set.size >= MAX_TOKENS) break;
  }
  return [...set].slice(0, MAX_TOKENS);
}

/** The tokens a text containing `q` must have (a subset of `textTokens` of any such text). */
export function queryTokens(foldedQuery: string): string[] {
  const set = new Set<string>();
  const rs = runs(foldedQuery);
  for (const r of rs) {
    if (r.cjk) addGrams(set, r.chars, r.chars.length >= 2 ? 2 : 1);
    else if (r.chars.length >= 3) addGrams(set, r.chars, 3);
  }
  return [...set].slice(0, 64);
}

function plain(value: unknown, richText: boolean): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [richText ? value.replace(/<[^>]*>/g, ' ') : value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((v) => plain(v, richText));
  return [];
}

/** `search_text` and `search_tokens` of a record, from the values of its searchable fields. */
export function searchDocument(values: { value: unknown; richText?: boolean }[]): {
  text: string;
  tokens: string[];
} {
  const parts: string[] = [];
  for (const v of values) {
    for (const p of plain(v.value, v.richText ?? false)) {
      const f = foldSearchText(p);
      if (f) parts.push(f);
    }
  }
  let text = parts.join('\n');
  if (text.length > MAX_SEARCH_TEXT) text = text.slice(0, MAX_SEARCH_TEXT);
  return { text, tokens: textTokens(text) };
}

/** Escape `\`, `%` and `_` for a LIKE pattern (default escape character `\`). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
