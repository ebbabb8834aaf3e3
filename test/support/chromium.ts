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
  '--disable-sync',
  // WebRTC between pages on one machine: host candidates on loopback (tests run in a
  // loopback-only network namespace, so no candidate leaves the machine).
  '--allow-loopback-in-peer-connection'
]
