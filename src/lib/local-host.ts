/**
 * True for a loopback host name: one the app can be served from during local development,
 * and where `http://` sources and `ws://` relays are acceptable.
 */
export function isLocalHost (hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}
