#!/usr/bin/env node
// The whole test suite: typecheck, lint, every package's tests (through turbo), then one closing line
// `N passed, N failed` summed from each package's vitest JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1;
const workspaces = ['packages', 'apps', 'templates']
  .flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).map((n) => join(root, d, n)) : []))
  .concat([join(root, 'bench')])
  .filter((p) => existsSync(join(p, 'package.json')));
for (const w of workspaces) rmSync(join(w, '.test-report.json'), { force: true });

let failedSteps = 0;
failedSteps += run('pnpm', ['typecheck']) === 0 ? 0 : 1;
failedSteps += run('pnpm', ['exec', 'biome', 'check', '.']) === 0 ? 0 : 1;
const turboArgs = ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1', '--output-logs=new-only'];
failedSteps += run('pnpm', turboArgs) === 0 ? 0 : 1;

let passed = 0;
let failed = 0;
for (const w of workspaces) {
  const report = join(w, '.test-report.json');
  if (!existsSync(report)) continue;
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
if (failedSteps > 0 && failed === 0) {
  console.log(`(${failedSteps} step(s) failed: typecheck, lint or a test run that produced no report)`);
  failed = failedSteps;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
