/**
 * File names that users give us (uploads) or that we give to downloads. One cleaner and one
 * Content-Disposition writer, so that every upload is stored and every download is named the same way.
 */

/**
 * Characters that change how the rest of a name is displayed without being seen themselves:
 * bidirectional embeddings, overrides and isolates, and the directional marks (so that
 * "\u202Egnp.exe" cannot pass for "exe.png"); the Unicode line and paragraph separators.
 */
const INVISIBLE_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/g;
/** C0 controls (CR, LF, NUL …), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Half of a surrogate pair without its other half: not text, and unencodable in a header. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const FILE_NAME_MAX_CHARACTERS = 200;

/**
 * A name as a plain file name: the last part of any path, without control or bidirectional
 * characters, trimmed, at most 200 characters (whole characters, never half an emoji), or
 * `fallback` when nothing is left.
 */
export function cleanFileName(name: string, fallback = "file"): string {
  const base = name.replace(LONE_SURROGATE, "\ufffd").split(/[/\\]/).pop() ?? "";
  const clean = base.normalize("NFC").replace(INVISIBLE_CONTROLS, "").replace(CONTROL_CHARACTERS, "").trim();
  const shortened = Array.from(clean).slice(0, FILE_NAME_MAX_CHARACTERS).join("").trim();
  return shortened || fallback;
}

/**
 * An ASCII stand-in for browsers that ignore filename*: accents dropped where a letter remains,
 * every other character outside printable ASCII, and the characters a quoted string or an old
 * browser's percent-decoding would trip on (" \ %), become "_".
 */
function asciiFallback(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["\\%]/g, "_");
}

/** RFC 8187 value characters (attr-char); everything else is percent-encoded from UTF-8. */
function encodeExtValue(name: string) {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The Content-Disposition header of a download (RFC 6266): the cleaned name in filename*
 * (UTF-8, so Arabic and accented names arrive intact) and an ASCII filename= for older clients.
 * Whatever the stored name holds (quotes, CR LF, bidirectional controls), the header is valid.
 */
export function contentDisposition(filename: string, type: "attachment" | "inline" = "attachment"): string {
  const clean = cleanFileName(filename);
  return `${type}; filename="${asciiFallback(clean)}"; filename*=UTF-8''${encodeExtValue(clean)}`;
}
