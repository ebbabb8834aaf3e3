/**
 * The content-isolation policy of the path gateway. Content under `/ipfs/` is untrusted: the
 * CSP `sandbox` (without `allow-same-origin`) gives every document served from it an opaque
 * origin, so it cannot reach the app's storage, cookies, Service Worker or RPC. It goes on
 * every `/ipfs/` response, error pages included (an SVG served without it runs as the app).
 */
export const CONTENT_SECURITY_POLICY = 'sandbox allow-scripts allow-forms allow-modals allow-downloads allow-pointer-lock allow-presentation'

/** Headers every `/ipfs/` response carries. Never `Access-Control-Allow-Origin`. */
export function securityHeaders (): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer'
  }
}
