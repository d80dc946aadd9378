import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
// Relative, so Vite bundles it into the config (Node cannot load the workspace's .ts directly).
import { parseEnv, port, url } from '../geo/src/config/index.ts';
import { fontSlicesFor } from './pwa-font-chunks.ts';

// `npm run dev`: Vite's dev server proxies /api (and /metrics) to a running stack
// (WARDMAP_API_URL, default http://127.0.0.1:8080). SSE works through the proxy unbuffered.
const env = parseEnv({
  WARDMAP_API_URL: url('WARDMAP_API_URL', ['http', 'https']),
  WARDMAP_DEV_PORT: port('WARDMAP_DEV_PORT', 5173),
});
const api = env.WARDMAP_API_URL ?? 'http://127.0.0.1:8080';

// Font slices the field app's own strings need, precached for offline use (see pwa-font-chunks.ts).
const fieldFontSlices = fontSlicesFor(['src/i18n/field.zh-CN.json', 'src/i18n/common.zh-CN.json']);

export default defineConfig({
  plugins: [
    react(),
    // The field app (/field) is an installable PWA. Its service worker's scope is /field only, so
    // the desk pages never run from a cache; updates are offered in the app, never forced.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      filename: 'field-sw.js',
      scope: '/field',
      includeAssets: ['field-icon-192.png', 'field-icon-512.png'],
      manifest: {
        id: '/field',
        name: 'Wardmap 巡查',
        short_name: '巡查',
        description: '网格员与河长巡查、签到、上报（离线可用）',
        lang: 'zh-CN',
        start_url: '/field',
        scope: '/field',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#f4f6f8',
        theme_color: '#1f6feb',
        icons: [
          { src: '/field-icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/field-icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        ],
      },
      workbox: {
        // The first install takes over the open page (so its reads are cached for offline use);
        // later versions wait until the person accepts the update (no skipWaiting).
        clientsClaim: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api/],
        navigateFallbackAllowlist: [/^\/field/],
        // The app shell: the entry, the field chunk, CSS. The map page's chunks (MapLibre, deck.gl)
        // stay out: a phone never needs them offline.
        globPatterns: [
          '**/*.{js,css,html,png}',
          `**/noto-sans-sc-{${fieldFontSlices.join(',')}}-{400,700}-normal-*.woff2`,
        ],
        // The font slices are ~40-90 kB each; the default limit (2 MiB) is per file, so this is headroom.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        globIgnores: ['**/MapPage-*', '**/maplibre*', '**/deck*', '**/BoardPage-*', '**/OverviewPage-*'],
        runtimeCaching: [
          {
            // Noto Sans SC comes in ~100 unicode-range files: cache those the app actually used.
            urlPattern: ({ url }) => /\.woff2?$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'wardmap-fonts', expiration: { maxEntries: 300 } },
          },
          {
            // The field app's own reads that must work offline: who I am, my segments, my grid's
            // work. Network first (fresh when there is signal), the cached copy only without; nothing
            // else under /api (never /api/stream, never photos) is cached. (The function is copied
            // into the service worker as text: it may not refer to anything outside itself.)
            urlPattern: ({ url, request }) =>
              request.method === 'GET' &&
              /^\/api\/(auth\/me|compliance\/segments|incidents)$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'wardmap-field-api',
              networkTimeoutSeconds: 8,
              expiration: { maxEntries: 30, maxAgeSeconds: 7 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  server: {
    port: env.WARDMAP_DEV_PORT,
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
