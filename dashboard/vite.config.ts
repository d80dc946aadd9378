import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev`: Vite's dev server proxies /api (and /metrics) to a running stack
// (WARDMAP_API_URL, default http://127.0.0.1:8080). SSE works through the proxy unbuffered.
const api = process.env.WARDMAP_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WARDMAP_DEV_PORT ?? 5173),
    proxy: { '/api': { target: api, changeOrigin: false }, '/metrics': { target: api } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // deck.gl + MapLibre are big by nature; the map page's budget is checked by bench:dashboard.
    chunkSizeWarningLimit: 1500,
  },
});
