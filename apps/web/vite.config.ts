import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * antd's inputs, selects and buttons read the form item context from `antd/es/form/context`, which imports
 * `FormProvider` from `@rc-component/form`'s index — and that index attaches `Field`, `List`, `useForm`… to
 * the form component, so the bundler has to keep the whole form library and its validator (~22 kB gzipped)
 * in every page that shows an input, form or not. Point that one import at the module that defines
 * `FormProvider` (the same module the index re-exports): antd's `Form` itself still imports the full index,
 * in the chunks that use it (the invitation page, the "save view" dialog, the designers).
 */
function antdFormContextOnly(): Plugin {
  return {
    name: 'formwork:antd-form-context',
    enforce: 'pre',
    resolveId(source, importer) {
      if (
        source !== '@rc-component/form' ||
        !importer ||
        !/antd[\\/]es[\\/]form[\\/]context\.js$/.test(importer)
      ) {
        return null;
      }
      return this.resolve('@rc-component/form/es/FormContext', importer, { skipSelf: true });
    },
  };
}

// `formwork start` serves dist/ on the API's port; `pnpm dev` proxies /api to a running server.
// How the bundle is split (and why) is in docs/web-app.md, "Performance".
export default defineConfig({
  plugins: [react(), antdFormContextOnly()],
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
