import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts'
import { fixturesDir } from './test/support/fixtures.ts'

/** Tests that need a real browser (IndexedDB) but not the app: run in Debian's Chromium. */
export default defineConfig({
  resolve: {
    alias: { 'aegir/chai': fileURLToPath(new URL('./test/support/aegir-chai.ts', import.meta.url)) }
  },
  // Browser tests fetch the shared fixtures through the dev server (`/@fs/…`).
  define: { __CAIRN_FIXTURES__: JSON.stringify(fixturesDir) },
  server: { fs: { allow: ['.', fixturesDir] } },
  optimizeDeps: {
    // Pre-bundling would give the suite its own copy of chai, without the plugins.
    exclude: ['interface-blockstore-tests']
  },
  test: {
    include: ['test/browser/**/*.test.ts'],
    globals: true,
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
      instances: [{ browser: 'chromium' }]
    }
  }
})
