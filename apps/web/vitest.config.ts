import { defineConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

/**
 * Component tests (`src/**\/*.test.tsx`, happy-dom) and the end-to-end scenario in real Chromium
 * (`e2e/*.e2e.test.ts`): it builds this app and the `formwork` command, starts it on a free port with a
 * temporary PGlite data directory and drives /usr/bin/chromium with playwright-core.
 */
const base = packageConfig(import.meta.dirname, { environment: 'happy-dom' });
const projects = [...(base.test?.projects ?? [])];
projects.push({
  extends: true,
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 300_000,
    // One browser scenario at a time, and UI polls that wait as long as Playwright's own waits: the full
    // suite runs these beside every other package's tests on two cores, where a list can take seconds.
    fileParallelism: false,
    expect: { poll: { timeout: 15_000 } },
  },
});
export default defineConfig({ ...base, test: { ...base.test, projects } });
