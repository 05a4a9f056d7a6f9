import Big from 'big.js';

/**
 * Round `n` to `places` decimal places with exact decimal arithmetic, half away from zero
 * (commercial rounding): `round(1.005, 2)` = 1.01, `round(0.1 + 0.2, 2)` = 0.3.
 */
export function roundDecimal(n: number, places: number): number {
  if (!Number.isFinite(n)) return n;
  const r = new Big(n).round(places, Big.roundHalfUp).toNumber();
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Parse a number written by a person: `1,234.50`, ` ¥1234.5 `, `１２３`, `12.5%` (percent sign only when
 * `allowPercent`). Returns undefined when the text is not a number.
 */
export function parseNumberText(s: string, allowPercent = false): number | undefined {
  let t = s
    .normalize('NFKC')
    .trim()
    .replace(/^[¥$€£]\s*/u, '');
  if (allowPercent) t = t.replace(/\s*%$/, '');
  if (/^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/.test(t)) t = t.replace(/,/g, '');
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
