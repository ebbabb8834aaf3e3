import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type Plugin, type UserConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

/**
 * Service Workers here are classic scripts, where `import.meta` does not exist: the hot path's
 * `new URL(…wasm, import.meta.url)` (by then an inlined `data:` URL) still needs a base. The
 * app's worker build takes `define` from the app's config, so the page uses it too (harmless:
 * its asset URL is absolute).
 */
const CLASSIC_SCRIPT_DEFINE = { 'import.meta.url': 'self.location.href' }

/**
 * The subdomain gateway's scripts, served on `<cid>.ipfs.localhost` only (`--mode site-sw`:
 * the site's Service Worker; `--mode site-frame`: the frame page's script). Each is one
 * classic script in `dist/_cairn/`, next to `frame.html`. They are built after the app, so
 * the app's precache does not list them.
 */
function siteConfig (mode: 'site-sw' | 'site-frame'): UserConfig {
  const name = mode === 'site-sw' ? 'site-sw' : 'frame'
  return {
    build: {
      target: 'es2023',
      outDir: 'dist/_cairn',
      emptyOutDir: false,
      copyPublicDir: false,
      sourcemap: true,
      lib: { entry: `src/site/${mode === 'site-sw' ? 'site-sw' : 'frame'}.ts`, formats: ['iife'], name: name.replace('-', '_'), fileName: () => `${name}.js` }
    },
    define: CLASSIC_SCRIPT_DEFINE,
    plugins: [{
      name: 'cairn-frame-html',
      closeBundle () {
        mkdirSync('dist/_cairn', { recursive: true })
        copyFileSync('src/site/frame.html', 'dist/_cairn/frame.html')
      }
    }]
  }
}

/**
 * The worker's build: `src/hotpath/wasm-url.ts` becomes `src/sw/wasm-url.ts`, which names the
 * app's precached `cairn_hotpath-*.wasm` (built just before) instead of inlining the module.
 */
function precachedHotpath (): Plugin {
  const original = resolve('src/hotpath/wasm-url.ts')
  return {
    name: 'cairn-precached-hotpath',
    enforce: 'pre',
    config: () => {
      const asset = readdirSync('dist/assets').find(name => /^cairn_hotpath-.*\.wasm$/.test(name))
      if (asset === undefined) throw new Error('the app build emitted no assets/cairn_hotpath-*.wasm for the Service Worker')
      return { define: { __CAIRN_HOTPATH_ASSET__: JSON.stringify(`assets/${asset}`) } }
    },
    async resolveId (source, importer) {
      const found = await this.resolve(source, importer, { skipSelf: true })
      return found?.id === original ? resolve('src/sw/wasm-url.ts') : null
    }
  }
}

/** A build plugin: non-ASCII characters in the output's strings and identifiers are escaped. */
function asciiOutput (): Plugin {
  return {
    name: 'cairn-ascii-output',
    outputOptions: options => ({ ...options, charset: 'ascii' })
  }
}

/**
 * The app (index.html + src/ui) and its Service Worker (src/sw/sw.ts), built as one classic
 * script with the precache manifest injected. The WASM module is an asset of both.
 */
export default defineConfig(({ mode }) => mode === 'site-sw' || mode === 'site-frame' ? siteConfig(mode) : {
  build: {
    target: 'es2023',
    sourcemap: true,
    assetsInlineLimit: 0
  },
  define: CLASSIC_SCRIPT_DEFINE,
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
        // The worker's script as pure ASCII (Chromium then decodes and keeps it as one-byte
        // text) and without the WASM module inlined: both are part of every worker start
        // (`npm run bench -- --only cold`).
        buildPlugins: { vite: [asciiOutput(), precachedHotpath()] },
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
        // Installed, Cairn takes files shared from other apps and files opened with it, and
        // ipfs:// and ipns:// links. A manifest cannot say "any file", so common types stand in.
        share_target: {
          action: '/share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { title: 'title', text: 'text', url: 'url', files: [{ name: 'files', accept: ['*/*'] }] }
        },
        file_handlers: [
          { action: '/?launch=car', accept: { 'application/vnd.ipld.car': ['.car'] } },
          {
            action: '/?launch=add',
            accept: {
              'text/plain': ['.txt', '.md'],
              'text/html': ['.html', '.htm'],
              'application/json': ['.json'],
              'application/pdf': ['.pdf'],
              'application/zip': ['.zip'],
              'image/png': ['.png'],
              'image/jpeg': ['.jpg', '.jpeg'],
              'image/gif': ['.gif'],
              'image/webp': ['.webp'],
              'image/svg+xml': ['.svg'],
              'audio/mpeg': ['.mp3'],
              'video/mp4': ['.mp4'],
              'video/webm': ['.webm']
            }
          }
        ],
        protocol_handlers: [
          { protocol: 'ipfs', url: '/?uri=%s' },
          { protocol: 'ipns', url: '/?uri=%s' }
        ],
        launch_handler: { client_mode: 'focus-existing' },
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
