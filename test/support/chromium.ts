/** Where Debian installs Chromium; `CHROMIUM_PATH` overrides it. */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags for a quiet, headless Chromium on a machine with no network but loopback. */
export const chromiumArgs: string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
