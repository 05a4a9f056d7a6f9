import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `formwork start` serves dist/ on the API's port; `pnpm dev` proxies /api to a running server.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': process.env.FORMWORK_API ?? 'http://localhost:3000' },
  },
});
