/** Absolute path of the shared fixtures, defined by vitest.browser.config.ts. */
declare const __CAIRN_FIXTURES__: string
