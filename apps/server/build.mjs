// Bundles the `formwork` command into one ES module. Workspace packages (@formwork/*) are bundled from
// their TypeScript sources; npm dependencies stay external and load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/formwork.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@formwork/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
