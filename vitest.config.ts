import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // `interface-blockstore-tests` imports aegir's chai; the same chai, without aegir.
    alias: { 'aegir/chai': fileURLToPath(new URL('./test/support/aegir-chai.ts', import.meta.url)) }
  },
  test: {
    include: ['test/unit/**/*.test.ts'],
    setupFiles: ['test/unit/setup.ts'],
    environment: 'node',
    // `interface-blockstore-tests` calls describe/it as globals.
    globals: true,
    // Processed by Vite (not loaded by Node directly), so the alias above applies to it.
    server: { deps: { inline: ['interface-blockstore-tests'] } },
    testTimeout: 30_000
  }
})
