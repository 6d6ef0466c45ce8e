/** The encodings Convene compresses with. */
export type Encoding = "br" | "gzip";

/**
 * The best encoding the request accepts among those at hand, Brotli first: a coding listed with
 * q=0 is refused, `*` stands for any coding not listed, and no Accept-Encoding means identity.
 */
export function acceptedEncoding(header: string | undefined, available: Encoding[]): Encoding | null {
  if (!header) return null;
  const quality = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    quality.set(name, Number.isFinite(value) ? value : 0);
  }
  let best: Encoding | null = null;
  let bestQuality = 0;
  for (const encoding of available) {
    const q = quality.get(encoding) ?? quality.get("*") ?? 0;
    if (q > bestQuality) {
      best = encoding;
      bestQuality = q;
    }
  }
  return best;
}
