import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'wasm/target/', 'node_modules/', 'test-results/', 'playwright-report/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' }
    },
    rules: {
      'no-console': ['error', { allow: ['error'] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  // Runtime boundaries (see the README's architecture table): code that runs in the Service
  // Worker or in Node.js never imports the UI, browser code never imports the Node.js relay,
  // the UI reaches the worker only over RPC, and the relay stays free of browser-only parts.
  {
    files: ['src/{sw,content,cairn,gateway,p2p,rooms,bridge,hotpath,rpc,site,storage,lib,names,library,exchange,add,unixfs,remote}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/ui/*', '**/ui/**'], message: 'Only the page runs the UI: move shared code to src/lib or the folder that owns it.' },
          { group: ['**/relay/*', '**/relay/**'], message: 'The relay is Node.js only: move shared code to the folder that owns it.' }
        ]
      }]
    }
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/sw/*', '**/sw/**', '**/storage/*', '**/storage/**'], message: 'The UI reaches the node over RPC (src/rpc), never its worker code or its database.' },
          { group: ['**/relay/*', '**/relay/**'], message: 'The relay is Node.js only.' }
        ]
      }]
    }
  },
  {
    files: ['src/relay/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/{ui,sw,bridge,site,storage}/*', '**/{ui,sw,bridge,site,storage}/**'], message: 'The relay runs in Node.js: no browser-only code.' }]
      }]
    }
  },
  {
    // The fixture websites' scripts run in a browser page.
    files: ['test/e2e/sites/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly' } }
  },
  {
    // Command-line programs print to stdout.
    files: ['scripts/**', 'bench/**', 'src/relay/main.ts', 'test/soak/soak.ts', 'test/soak/heap-diff.ts', 'test/soak/long-tasks.ts'],
    rules: { 'no-console': 'off' }
  },
  {
    // The benchmark drivers hand functions to page.evaluate: they run in pages.
    files: ['scripts/bench-network.mjs', 'scripts/bench-exchange.mjs', 'scripts/bench-app.mjs', 'scripts/bench-library.mjs', 'scripts/bench-rooms.mjs', 'scripts/bench-names.mjs', 'scripts/bench-cold.mjs', 'scripts/bench-gateway-load.mjs'],
    languageOptions: { globals: { window: 'readonly', navigator: 'readonly', performance: 'readonly', fetch: 'readonly', document: 'readonly', MutationObserver: 'readonly', crypto: 'readonly', TextEncoder: 'readonly', MessageChannel: 'readonly', BroadcastChannel: 'readonly', setTimeout: 'readonly', Blob: 'readonly', clearTimeout: 'readonly' } }
  },
  {
    // The lifetime harness runs in a plain page and reports through console lines.
    files: ['test/lifetime/**/*.js'],
    languageOptions: { globals: { navigator: 'readonly', location: 'readonly', URLSearchParams: 'readonly', MessageChannel: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: { 'no-console': 'off' }
  }
)
