import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `formwork start` serves dist/ on the API's port; `pnpm dev` proxies /api to a running server.
// How the bundle is split (and why) is in docs/web-app.md, "Performance".
export default defineConfig({
  plugins: [react()],
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
