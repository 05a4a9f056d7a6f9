/** The badge on "My tasks": nothing for 0, `99+` beyond 99. */
export function badgeText(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '';
  return n > 99 ? '99+' : String(Math.floor(n));
}
