import zlib from "node:zlib";

// Reading a PDF back (certificates and sign-in sheets): what each page draws, as text with its
// position. Glyphs are decoded through each font's ToUnicode map; lines laid out right-to-left or
// in Arabic carry their logical text as ActualText, which is read instead of their glyphs.

export type Drawn = { text: string; x: number; y: number };
/** Each page's drawn text, the document's language, every drawn line, and all the text joined by newlines. */
export type ReadPdf = { pages: Drawn[][]; lang: string | null; lines: string[]; text: string };

/**
 * `glyphsOnly`: read as a simple extractor does — the glyphs in the order they are drawn, ActualText
 * ignored, consecutive draws on one baseline (marks set above or below it included) joined into one line.
 */
export function readPdf(pdf: Buffer, options: { glyphsOnly?: boolean } = {}): ReadPdf {
  const raw = pdf.toString("latin1");
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  const header = /(\d+) 0 obj\r?\n/g;
  for (let m = header.exec(raw); m; m = header.exec(raw)) {
    const start = header.lastIndex;
    const streamAt = raw.indexOf("stream\n", start);
    const endAt = raw.indexOf("endobj", start);
    if (streamAt !== -1 && streamAt < endAt) {
      const dict = raw.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)![1]);
      const bytes = pdf.subarray(streamAt + 7, streamAt + 7 + length);
      objects.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? zlib.inflateSync(bytes) : bytes });
      header.lastIndex = streamAt + 7 + length;
    } else {
      objects.set(Number(m[1]), { dict: raw.slice(start, endAt), stream: null });
    }
  }
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);

  const cmaps = new Map<number, Map<number, string>>();
  const cmapOf = (fontId: number) => {
    if (!cmaps.has(fontId)) {
      const map = new Map<number, string>();
      const cmap = objects.get(ref(objects.get(fontId)!.dict, "ToUnicode"))!.stream!.toString("latin1");
      for (const range of cmap.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
        [...range[2].matchAll(/<([^>]*)>/g)].forEach((entry, k) => {
          const units = entry[1].split(" ").filter(Boolean).map((h) => parseInt(h, 16));
          map.set(parseInt(range[1], 16) + k, String.fromCharCode(...units));
        });
      }
      cmaps.set(fontId, map);
    }
    return cmaps.get(fontId)!;
  };

  const pages: Drawn[][] = [];
  for (const { dict } of objects.values()) {
    if (!/\/Type \/Page(?!s)\b/.test(dict)) continue;
    const resources = objects.get(ref(dict, "Resources"))!.dict;
    const fonts = new Map([...(/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? "").matchAll(/\/(\w+) (\d+) 0 R/g)].map((f) => [f[1], Number(f[2])]));
    const content = objects.get(ref(dict, "Contents"))!.stream!.toString("latin1");
    const drawn: Drawn[] = [];
    let font = 0;
    let x = 0;
    let y = 0;
    let actual: Drawn | null = null;
    const token = /\/ActualText \(((?:\\.|[^\\)])*)\)|(-?[\d.]+) (-?[\d.]+) Tm|\/(\w+) [\d.]+ Tf|\[([^\]]*)\] TJ|<([0-9a-f]*)> Tj|EMC/gs;
    for (const t of content.matchAll(token)) {
      if (t[1] !== undefined) {
        if (!options.glyphsOnly) actual = { text: literal(t[1]).replace(/\s/gu, " "), x: NaN, y: NaN };
      }
      else if (t[2] !== undefined) [x, y] = [Number(t[2]), Number(t[3])];
      else if (t[4] !== undefined) font = fonts.get(t[4])!;
      else if (t[5] !== undefined || t[6] !== undefined) {
        const hex = t[5] !== undefined ? [...t[5].matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join("") : t[6];
        const map = cmapOf(font);
        const glyphs = (hex.match(/.{4}/g) ?? []).map((g) => map.get(parseInt(g, 16)) ?? "").join("");
        if (actual && Number.isNaN(actual.x)) [actual.x, actual.y] = [x, y];
        // spaces of every width (thin, narrow no-break) read as one kind of space
        const last = drawn.at(-1);
        if (options.glyphsOnly && last && Math.abs(last.y - y) < 12) last.text += glyphs.replace(/\s/gu, " ");
        else if (!actual) drawn.push({ text: glyphs.replace(/\s/gu, " "), x, y });
      } else if (actual) {
        drawn.push(actual);
        actual = null;
      }
    }
    pages.push(drawn);
  }
  const lang = /\/Lang \(([^)]*)\)/.exec(raw)?.[1] ?? null;
  return { pages, lang, lines: pages.flatMap((p) => p.map((d) => d.text)), text: pages.map((p) => p.map((d) => d.text).join("\n")).join("\n") };
}

/** A PDF literal string: backslash escapes, UTF-16BE when it starts with a byte-order mark. */
function literal(body: string) {
  const bytes = body.replace(/\\([nrtbf()\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" })[c] ?? c);
  if (bytes.startsWith("\u00fe\u00ff")) return Buffer.from(bytes.slice(2), "latin1").swap16().toString("utf16le");
  return bytes;
}
