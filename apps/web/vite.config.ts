import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * antd's inputs, selects and buttons read the form item context from `antd/es/form/context`, which imports
 * `FormProvider` from `@rc-component/form`'s index. That index also builds the form component (it attaches
 * `Field`, `List`, `useForm`… to it), which the bundler has to keep as a side effect: every page with an input
 * carried the whole form library and its validator (~12 kB gzipped), form or not. Declaring the index free of
 * side effects lets the bundler take `FormProvider` from the module that defines it (the index re-exports it);
 * whatever uses antd's `Form` imports the index's default export and gets all of it. Nothing resolves
 * differently — only tree-shaking does.
 */
function rcFormIndexWithoutSideEffects(): Plugin {
  return {
    name: 'formwork:rc-form-index-without-side-effects',
    transform: {
      filter: { id: /[\\/]@rc-component[\\/]form[\\/]es[\\/]index\.js$/ },
      handler(code) {
        return { code, map: null, moduleSideEffects: false };
      },
    },
  };
}

// `formwork start` serves dist/ on the API's port; `pnpm dev` proxies /api to a running server.
// How the bundle is split (and why) is in docs/web-app.md, "Performance".
export default defineConfig({
  plugins: [react(), rcFormIndexWithoutSideEffects()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React in a chunk of its own: it changes less often than the app (long-lived cache), and it keeps
            // the bundler's interop helpers in their own small chunk — without it they land in whichever chunk
            // first needs them (it was Ajv's, which every lazy chunk then had to load).
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.FORMWORK_API ?? 'http://localhost:3000' },
  },
});
