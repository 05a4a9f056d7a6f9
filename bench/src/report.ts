/**
 * Writes the figures of `bench/results/latest.json` into docs/benchmarks.md, between the
 * `<!-- results:start -->` and `<!-- results:end -->` markers: one row per figure, PostgreSQL and PGlite
 * side by side, with the target where it has one. `pnpm bench` calls it after a run; run it
 * alone with `pnpm --filter @formwork/bench report`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The targets of the issues (2 platform core, 3 permissions, 4 workflow, 5 forms). */
export const TARGETS: Record<string, string> = {
  'rss.idle_mb': '≤ 150',
  'rss.load_mb': '≤ 300',
  'get.rps': '≥ 5,000 (PostgreSQL)',
  'create.ratio': '≥ 0.8',
  'coldstart.existing_ms': '≤ 2,000',
  'list.filtered.p50_ms': '≤ 10 (PostgreSQL)',
  'list.filtered.p99_ms': '≤ 50 (PostgreSQL)',
  'perm.member_vs_admin.list.rps_ratio': '≥ 0.8',
  'perm.member_vs_admin.filtered.rps_ratio': '≥ 0.8',
  'perm.member_vs_admin.get.rps_ratio': '≥ 0.8',
  'web.staffFormJsGzipKb': '≤ 300',
  'web.form200RenderMs': '≤ 150',
  'web.keystrokeP50Ms': '< 16',
  'web.scroll10kDroppedFrames': '0',
  'workflow.approvalsPerSecond': '≥ 1,000',
  'workflow.timerLateMaxMs': '≤ 1,000',
  'workflow.automationOverheadPct': '≤ 10',
};

type Figures = Record<string, number>;
const fmt = (v: number | undefined) =>
  v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function resultsTable(results: {
  date: string;
  machine: string;
  postgres?: Figures;
  pglite?: Figures;
}): string {
  const pg = results.postgres ?? {};
  const lite = results.pglite ?? {};
  const keys = [...new Set([...Object.keys(pg), ...Object.keys(lite)])];
  const when = `${results.date.slice(0, 10)} ${results.date.slice(11, 16)} UTC`;
  return [
    `Run of ${when} on ${results.machine}, PostgreSQL 15 and PGlite (\`bench/results/latest.json\`).`,
    '',
    '| figure | PostgreSQL | PGlite | target |',
    '|---|---:|---:|---|',
    ...keys.map((k) => `| \`${k}\` | ${fmt(pg[k])} | ${fmt(lite[k])} | ${TARGETS[k] ?? ''} |`),
  ].join('\n');
}

/** Replaces the results section of `doc` with the table of `resultsFile`. */
export function writeResults(resultsFile: string, doc: string): void {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${doc} has no ${start} … ${end} section`);
  writeFileSync(doc, `${text.slice(0, a + start.length)}\n${resultsTable(results)}\n${text.slice(b)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('../../', import.meta.url).pathname;
  writeResults(`${root}bench/results/latest.json`, `${root}docs/benchmarks.md`);
  console.log('docs/benchmarks.md: results updated');
}
