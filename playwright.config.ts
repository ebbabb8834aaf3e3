import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts'

const port = Number(process.env.E2E_PORT ?? 4173)

/**
 * End-to-end tests: the built app, served as `npm start` serves it, in Debian's Chromium, at
 * the address `npm start` prints (`ipfs.localhost`, the same site as the websites it opens).
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://${process.env.E2E_HOST ?? 'ipfs.localhost'}:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    serviceWorkers: 'allow',
    // A failing test leaves its trace (test-results/…/trace.zip; open with `npx playwright show-trace`).
    trace: 'retain-on-failure'
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${port} --relay-port 0 --home-port 0`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000
  }
})
