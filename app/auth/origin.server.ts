/**
 * CSRF defence: a state-changing request must come from our own origin. Browsers send `Origin` on
 * every cross-origin POST and on same-origin POSTs too; a missing Origin is refused as well.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isAllowedOrigin(method: string, originHeader: string | null | undefined, appOrigin: string) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!originHeader) return false;
  return originHeader === appOrigin;
}
