import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

/**
 * The app (index.html + src/ui) and its Service Worker (src/sw/sw.ts), built as one classic
 * script with the precache manifest injected. The WASM module is an asset of both.
 */
export default defineConfig({
  build: {
    target: 'es2023',
    sourcemap: true,
    assetsInlineLimit: 0
  },
  preview: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: false,
    host: '127.0.0.1'
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
        rollupFormat: 'iife',
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024
      },
      manifest: {
        name: 'Cairn — IPFS in your browser',
        short_name: 'Cairn',
        description: 'An IPFS node that lives in the browser: explore DAGs, keep content offline.',
        theme_color: '#1d3b3a',
        background_color: '#f6f3ea',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }
        ]
      }
    })
  ]
})
