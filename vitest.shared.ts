import { resolve } from 'node:path';
import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config';

/**
 * One vitest configuration for every package. Unit tests (`*.test.ts`) run once; tests that need a
 * database (`*.int.test.ts`) run on PGlite always and on PostgreSQL too when DATABASE_URL is set.
 * Each package writes `.test-report.json`, which `scripts/test.mjs` sums into `N passed, N failed`.
 */
export function packageConfig(
  dir: string,
  opts: { timeoutMs?: number; environment?: 'node' | 'happy-dom' } = {},
): ViteUserConfig {
  const unit = ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'];
  const integration = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];
  const projects: TestProjectInlineConfiguration[] = [
    { extends: true, test: { name: 'unit', include: unit, exclude: integration } },
    { extends: true, test: { name: 'pglite', include: integration, env: { FORMWORK_TEST_DB: 'pglite' } } },
  ];
  if (process.env.DATABASE_URL) {
    projects.push({
      extends: true,
      test: { name: 'postgres', include: integration, env: { FORMWORK_TEST_DB: 'postgres' } },
    });
  }
  return {
    test: {
      root: dir,
      environment: opts.environment ?? 'node',
      projects,
      testTimeout: opts.timeoutMs ?? 30_000,
      hookTimeout: 60_000,
      reporters: ['default', ['json', { outputFile: resolve(dir, '.test-report.json') }]],
      passWithNoTests: true,
    },
  };
}
