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
  {
    // The fixture websites' scripts run in a browser page.
    files: ['test/e2e/sites/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly' } }
  },
  {
    // Command-line programs print to stdout.
    files: ['scripts/**', 'bench/**', 'src/relay/main.ts'],
    rules: { 'no-console': 'off' }
  },
  {
    // The network benchmark's driver hands functions to page.evaluate: they run in pages.
    files: ['scripts/bench-network.mjs'],
    languageOptions: { globals: { window: 'readonly', navigator: 'readonly', performance: 'readonly', MessageChannel: 'readonly', BroadcastChannel: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } }
  },
  {
    // The lifetime harness runs in a plain page and reports through console lines.
    files: ['test/lifetime/**/*.js'],
    languageOptions: { globals: { navigator: 'readonly', location: 'readonly', URLSearchParams: 'readonly', MessageChannel: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: { 'no-console': 'off' }
  }
)
