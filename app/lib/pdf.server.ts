import fs from "node:fs";
import path from "node:path";
import bidiFactory from "bidi-js";
import PDFDocument from "pdfkit";
import { now } from "~/lib/clock";
import { contentDisposition } from "./file-names";

/**
 * The one PDF writer of the app (sign-in sheets today; certificates and reports reuse it): A4
 * documents in Noto Sans and Noto Sans Arabic, with text laid out here rather than by pdfkit so
 * that Arabic and mixed-direction lines come out right.
 *
 * How a line is drawn (see `text`):
 *  1. the Unicode bidi algorithm (bidi-js) resolves each character's embedding level for the
 *     paragraph's base direction;
 *  2. each character gets a font: Arabic script → Noto Sans Arabic, other letters and digits →
 *     Noto Sans, spaces and punctuation follow their neighbour (so they stay in the run they belong to);
 *  3. lines are broken on the LOGICAL text (at spaces, measured with the real fonts), then each
 *     line is reordered visually (rule L2), mirrored characters swapped at right-to-left levels;
 *  4. each visual run is drawn in its font. pdfkit hands a run to fontkit, which shapes it (the
 *     Arabic letters join) and itself REVERSES a run whose script is right-to-left: such a run is
 *     therefore passed in logical order, and only runs fontkit would not reverse (punctuation at an
 *     RTL level, Arabic-Indic digits at an LTR level) are reversed here — never twice.
 *
 * pdfkit's own layout splits text at spaces before shaping and puts the words back in logical
 * order, which scrambles Arabic sentences: every run is drawn with `features: []`, which makes
 * pdfkit shape the run as a whole.
 */

export type PdfDirection = "ltr" | "rtl";
/** Alignment relative to the page's direction: "start" is the right edge in a right-to-left document. */
export type PdfAlign = "start" | "end" | "center";

type FontKey = "latin" | "arabic";

const FONT_FILES = {
  Sans: "node_modules/@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
  "Sans-Bold": "node_modules/@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
  Arabic: "node_modules/@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf",
  "Arabic-Bold": "node_modules/@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf",
} as const;
type FontName = keyof typeof FONT_FILES;

const fontData = new Map<FontName, Buffer>();
/**
 * Font files are read once per process, at run time from the project root (the server runs from
 * there): a path built at run time keeps Vite from trying to bundle them into the server build.
 */
function fontBuffer(name: FontName): Buffer {
  let data = fontData.get(name);
  if (!data) {
    data = fs.readFileSync(path.resolve(FONT_FILES[name]));
    fontData.set(name, data);
  }
  return data;
}

function fontName(key: FontKey, bold: boolean): FontName {
  return key === "arabic" ? (bold ? "Arabic-Bold" : "Arabic") : bold ? "Sans-Bold" : "Sans";
}

type FontkitFont = { hasGlyphForCodePoint(codePoint: number): boolean };

type Settings = {
  dir: PdfDirection;
  layout: "portrait" | "landscape";
  margin: number;
  fonts: Record<FontName, FontkitFont>;
};

const settings = new WeakMap<PDFKit.PDFDocument, Settings>();

function settingsOf(doc: PDFKit.PDFDocument): Settings {
  const found = settings.get(doc);
  if (!found) throw new Error("not a document made by createPdf()");
  return found;
}

let bidiInstance: ReturnType<typeof bidiFactory> | undefined;
function bidi() {
  bidiInstance ??= bidiFactory();
  return bidiInstance;
}

export type PdfOptions = {
  title: string;
  subject?: string;
  author?: string;
  keywords?: string;
  /** BCP 47 language of the content (en, fr, es, ar): readers and screen readers use it. */
  lang: string;
  dir?: PdfDirection;
  layout?: "portrait" | "landscape";
  /** page margin in points (1 pt = 1/72 in); the footer sits inside the bottom margin */
  margin?: number;
  /** content streams deflated (default); tests may turn it off to read the drawing operators */
  compress?: boolean;
};

/** An A4 document with its metadata and fonts registered; finish it with `pdfBuffer`. */
export function createPdf(options: PdfOptions): PDFKit.PDFDocument {
  const layout = options.layout ?? "portrait";
  const margin = options.margin ?? 40;
  const doc = new PDFDocument({
    size: "A4",
    layout,
    margin,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: options.lang,
    displayTitle: true,
    pdfVersion: "1.7",
    // pdfkit chokes on undefined entries: leave out what is not given
    info: Object.fromEntries(
      Object.entries({
        Title: options.title,
        Subject: options.subject,
        Author: options.author ?? "Convene",
        Keywords: options.keywords,
        Creator: "Convene",
        CreationDate: now(),
      }).filter(([, value]) => value !== undefined),
    ),
  });
  const fonts = {} as Record<FontName, FontkitFont>;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    doc.registerFont(name, fontBuffer(name));
    // pdfkit keeps the parsed (fontkit) font on the current font: its glyph coverage decides
    // which font draws a space or punctuation mark. A font is embedded only once text uses it.
    doc.font(name);
    fonts[name] = (doc as unknown as { _font: { font: FontkitFont } })._font.font;
  }
  doc.font("Sans");
  settings.set(doc, { dir: options.dir ?? "ltr", layout, margin, fonts });
  return doc;
}

export function pageDirection(doc: PDFKit.PDFDocument): PdfDirection {
  return settingsOf(doc).dir;
}

/** Start a new page (same size, margins; landscape or portrait as the document unless told). */
export function addPage(doc: PDFKit.PDFDocument, layout?: "portrait" | "landscape") {
  const s = settingsOf(doc);
  doc.addPage({ size: "A4", layout: layout ?? s.layout, margin: s.margin });
  doc.x = s.margin;
  doc.y = s.margin;
}

/** The printable area of the current page. */
export function contentBox(doc: PDFKit.PDFDocument) {
  const m = doc.page.margins;
  return { left: m.left, right: doc.page.width - m.right, top: m.top, bottom: doc.page.height - m.bottom, width: doc.page.width - m.left - m.right };
}

// ---------------------------------------------------------------------------------------------
// Text

export type TextOptions = {
  /** left edge of the text box (default: the left margin) */
  x?: number;
  /** top of the first line (default: doc.y) */
  y?: number;
  /** width of the text box (default: to the right margin) */
  width?: number;
  size?: number;
  bold?: boolean;
  color?: string;
  align?: PdfAlign;
  /**
   * Base direction of the paragraph for the bidi algorithm. Default: the page's. Use "auto" for
   * data (names, organisations) so that "Latifa Al Qassab." keeps its full stop on an Arabic page.
   */
  dir?: PdfDirection | "auto";
  /** line height as a multiple of the size */
  lineHeight?: number;
};

/** `start`: where the run begins in the logical text; `rtl`: laid out right to left. */
type Piece = { text: string; font: FontKey; width: number; rtl: boolean; start: number };
/** `actual`: the line's logical text, kept for copy, search and screen readers when the glyphs alone cannot give it back. */
type Line = { pieces: Piece[]; width: number; actual: string | null };

const ARABIC = /\p{Script_Extensions=Arabic}/u;
const STRONG = /[\p{L}\p{N}]/u;
/** Direction marks and other invisible controls: they steer the bidi algorithm, they are not drawn. */
const INVISIBLE = /[\u200b\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u00ad]/u;
/** A character with a script of its own (not Common/Inherited). */
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/** Whether fontkit will reverse this run after shaping (it does for right-to-left scripts). */
function fontkitReverses(run: string) {
  const first = run.match(SCRIPTED)?.[0];
  return first !== undefined && RTL_SCRIPT.test(first);
}

function reversed(s: string) {
  return Array.from(s).reverse().join("");
}

const DRAW: PDFKit.Mixins.TextOptions = { lineBreak: false, baseline: "alphabetic", features: [] };

function widthIn(doc: PDFKit.PDFDocument, font: FontKey, bold: boolean, size: number, s: string) {
  if (!s) return 0;
  doc.font(fontName(font, bold)).fontSize(size);
  return doc.widthOfString(s, { features: [] });
}

/** Which font draws each UTF-16 unit of a paragraph. */
function assignFonts(s: Settings, para: string, levels: Uint8Array, bold: boolean, base: PdfDirection): FontKey[] {
  const fonts: (FontKey | null)[] = new Array(para.length).fill(null);
  const covers = (key: FontKey, ch: string) => s.fonts[fontName(key, bold)].hasGlyphForCodePoint(ch.codePointAt(0)!);
  const units: [number, string][] = [];
  for (let i = 0; i < para.length; ) {
    const ch = String.fromCodePoint(para.codePointAt(i)!);
    units.push([i, ch]);
    if (ARABIC.test(ch)) fonts[i] = "arabic";
    else if (STRONG.test(ch)) fonts[i] = covers("latin", ch) || !covers("arabic", ch) ? "latin" : "arabic";
    i += ch.length;
  }
  // spaces and punctuation join the run before them (or after them) at the same level
  units.forEach(([i, ch], n) => {
    if (fonts[i] !== null) return;
    let choice: FontKey | null = null;
    for (let k = n - 1; k >= 0 && choice === null; k--) {
      const [j] = units[k];
      if (levels[j] !== levels[i]) break;
      choice = fonts[j];
    }
    for (let k = n + 1; k < units.length && choice === null; k++) {
      const [j] = units[k];
      if (levels[j] !== levels[i]) break;
      if (fonts[j] !== null && STRONG.test(units[k][1])) choice = fonts[j];
    }
    choice ??= base === "rtl" ? "arabic" : "latin";
    if (!covers(choice, ch)) choice = choice === "arabic" ? "latin" : "arabic";
    fonts[i] = choice;
  });
  // the second unit of a surrogate pair goes with the first
  for (let i = 0; i < para.length; i++) if (fonts[i] === null) fonts[i] = fonts[i - 1] ?? "latin";
  return fonts as FontKey[];
}

/** Width of logical text [start, end) of a paragraph: each same-font stretch shaped as a whole. */
function logicalWidth(doc: PDFKit.PDFDocument, para: string, fonts: FontKey[], start: number, end: number, bold: boolean, size: number) {
  let width = 0;
  let i = start;
  while (i < end) {
    let j = i + 1;
    while (j < end && fonts[j] === fonts[i]) j++;
    width += widthIn(doc, fonts[i], bold, size, stripInvisible(para.slice(i, j)));
    i = j;
  }
  return width;
}

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");
function stripInvisible(s: string) {
  return s.replace(INVISIBLE_ALL, "");
}

/** Break points: [start, end) of each word with the spaces after it. */
function words(para: string): [number, number][] {
  return [...para.matchAll(/\S+\s*|\s+/gu)].map((m) => [m.index!, m.index! + m[0].length]);
}

function graphemeEnds(para: string, start: number, end: number): number[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return [...segmenter.segment(para.slice(start, end))].map((g) => start + g.index + g.segment.length);
}

function trimEnd(para: string, start: number, end: number) {
  while (end > start && /\s/u.test(para[end - 1])) end--;
  return end;
}

/** Logical line ranges of a paragraph for a width (greedy, at spaces; a too-long word is cut). */
function breakLines(doc: PDFKit.PDFDocument, para: string, fonts: FontKey[], maxWidth: number, bold: boolean, size: number): [number, number][] {
  const lines: [number, number][] = [];
  let lineStart = -1;
  let lineEnd = -1;
  const fits = (s: number, e: number) => logicalWidth(doc, para, fonts, s, trimEnd(para, s, e), bold, size) <= maxWidth + 0.01;
  for (const [ws, we] of words(para)) {
    if (lineStart >= 0 && fits(lineStart, we)) {
      lineEnd = we;
      continue;
    }
    if (lineStart >= 0) lines.push([lineStart, lineEnd]);
    if (fits(ws, we)) {
      lineStart = ws;
      lineEnd = we;
      continue;
    }
    // one word wider than the box: cut it between graphemes
    let s = ws;
    let previous = ws;
    for (const e of graphemeEnds(para, ws, we)) {
      if (previous > s && !fits(s, e)) {
        lines.push([s, previous]);
        s = previous;
      }
      previous = e;
    }
    lineStart = s;
    lineEnd = we;
  }
  if (lineStart >= 0) lines.push([lineStart, lineEnd]);
  return lines.length > 0 ? lines : [[0, 0]];
}

/** A line in visual order: pieces left to right, each ready to hand to pdfkit. */
function visualLine(doc: PDFKit.PDFDocument, para: string, levels: ReturnType<ReturnType<typeof bidiFactory>["getEmbeddingLevels"]>, fonts: FontKey[], start: number, end: number, bold: boolean, size: number): Line {
  end = trimEnd(para, start, end);
  if (end <= start) return { pieces: [], width: 0, actual: null };
  const order = bidi().getReorderedIndices(para, levels, start, end - 1).slice(start, end);
  const lv = levels.levels;
  const groups: { from: number; to: number; font: FontKey; rtl: boolean }[] = [];
  for (const i of order) {
    const rtl = (lv[i] & 1) === 1;
    const last = groups.at(-1);
    if (last && last.font === fonts[i] && last.rtl === rtl && (rtl ? i === last.from - 1 : i === last.to + 1)) {
      if (rtl) last.from = i;
      else last.to = i;
    } else {
      groups.push({ from: i, to: i, font: fonts[i], rtl });
    }
  }
  const pieces: Piece[] = [];
  for (const g of groups) {
    let logical = "";
    for (let i = g.from; i <= g.to; i++) {
      const ch = para[i];
      if (INVISIBLE.test(ch)) continue;
      logical += g.rtl ? (bidi().getMirroredCharacter(ch) ?? ch) : ch;
    }
    if (!logical) continue;
    // what fontkit receives: it reverses right-to-left scripts itself, so those go in logical order
    const visualWanted = g.rtl;
    const text = visualWanted === fontkitReverses(logical) ? logical : reversed(logical);
    pieces.push({ text, font: g.font, width: widthIn(doc, g.font, bold, size, text), rtl: g.rtl, start: g.from });
  }
  // Reordered runs and Arabic glyphs (Noto draws dots as separate marks, so one glyph stands for
  // several letters) cannot be read back from the glyphs: the line carries its text as ActualText.
  const complex = groups.some((g) => g.rtl || g.font === "arabic");
  return { pieces, width: pieces.reduce((sum, p) => sum + p.width, 0), actual: complex ? stripInvisible(para.slice(start, end)) : null };
}

/** What pdfkit keeps of the current font and page (not in its typings): enough to place glyphs one by one. */
type PdfkitInternals = {
  _font: {
    id: string;
    ref(): unknown;
    encode(text: string, features: string[]): [string[], { xAdvance: number; xOffset: number; yOffset: number }[]];
  };
  _fontSize: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): void;
};

const pdfNumber = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * Draw a right-to-left run (shaped by fontkit, which gives its glyphs left to right) glyph by
 * glyph, each at its place, but written in the order the text is read: a reader that ignores the
 * line's ActualText and takes the glyphs in the order drawn then gets "شهادة" rather than "ةداهش".
 * The current font and size are the run's (set by the caller).
 */
function drawInLogicalOrder(doc: PDFKit.PDFDocument, run: string, x: number, baseline: number) {
  const pdf = doc as unknown as PdfkitInternals;
  const [encoded, positions] = pdf._font.encode(run, []);
  const scale = pdf._fontSize / 1000;
  const y = pdf.page.height - baseline;
  const glyphs: { hex: string; x: number; y: number }[] = [];
  let cursor = x;
  positions.forEach((position, i) => {
    glyphs.push({ hex: encoded[i], x: cursor + position.xOffset * scale, y: y + position.yOffset * scale });
    cursor += position.xAdvance * scale;
  });
  doc.save();
  doc.transform(1, 0, 0, -1, 0, pdf.page.height);
  if (pdf.page.fonts[pdf._font.id] == null) pdf.page.fonts[pdf._font.id] = pdf._font.ref();
  pdf.addContent("BT");
  pdf.addContent(`/${pdf._font.id} ${pdfNumber(pdf._fontSize)} Tf`);
  for (const glyph of glyphs.reverse()) {
    pdf.addContent(`1 0 0 1 ${pdfNumber(glyph.x)} ${pdfNumber(glyph.y)} Tm`);
    pdf.addContent(`<${glyph.hex}> Tj`);
  }
  pdf.addContent("ET");
  doc.restore();
}

function layout(doc: PDFKit.PDFDocument, value: string, options: TextOptions) {
  const s = settingsOf(doc);
  const size = options.size ?? 10;
  const bold = options.bold ?? false;
  const box = contentBox(doc);
  const x = options.x ?? box.left;
  const width = options.width ?? box.right - x;
  const base = options.dir ?? s.dir;
  const lines: Line[] = [];
  for (const para of String(value ?? "").replace(/\r\n?/g, "\n").split("\n")) {
    const levels = bidi().getEmbeddingLevels(para, base);
    const paraDir: PdfDirection = base === "auto" ? ((levels.paragraphs[0]?.level ?? 0) & 1 ? "rtl" : "ltr") : base;
    const fonts = assignFonts(s, para, levels.levels, bold, paraDir);
    for (const [ls, le] of breakLines(doc, para, fonts, width, bold, size)) lines.push(visualLine(doc, para, levels, fonts, ls, le, bold, size));
  }
  const lineHeight = size * (options.lineHeight ?? 1.4);
  return { lines, x, width, size, bold, lineHeight, height: lines.length * lineHeight };
}

/** Height that `text` would take, without drawing. */
export function textHeight(doc: PDFKit.PDFDocument, value: string, options: TextOptions = {}) {
  return layout(doc, value, options).height;
}

/**
 * Draw a paragraph (or several, separated by "\n") in a box, wrapping at spaces; returns the
 * height used and moves doc.y below it. Arabic is shaped, directions are resolved per line,
 * alignment follows the page's direction ("start" is the right edge in Arabic).
 */
export function text(doc: PDFKit.PDFDocument, value: string, options: TextOptions = {}): number {
  const s = settingsOf(doc);
  const laid = layout(doc, value, options);
  const top = options.y ?? doc.y;
  const align = options.align ?? "start";
  const toRight = (align === "start" && s.dir === "rtl") || (align === "end" && s.dir === "ltr");
  doc.save();
  doc.fillColor(options.color ?? "#111111");
  laid.lines.forEach((line, n) => {
    const baseline = top + n * laid.lineHeight + laid.size * 1.02;
    let cursor = align === "center" ? laid.x + (laid.width - line.width) / 2 : toRight ? laid.x + laid.width - line.width : laid.x;
    if (line.actual) doc.markContent("Span", { actual: line.actual });
    // each run keeps its place on the line, but the runs are drawn in the order they are read
    const placed = line.pieces.map((piece) => {
      const at = cursor;
      cursor += piece.width;
      return { piece, at };
    });
    placed.sort((a, b) => a.piece.start - b.piece.start);
    for (const { piece, at } of placed) {
      doc.font(fontName(piece.font, laid.bold)).fontSize(laid.size);
      if (piece.rtl && fontkitReverses(piece.text)) drawInLogicalOrder(doc, piece.text, at, baseline);
      else doc.text(piece.text, at, baseline, DRAW);
    }
    if (line.actual) doc.endMarkedContent();
  });
  doc.restore();
  doc.font("Sans");
  doc.x = contentBox(doc).left;
  doc.y = top + laid.height;
  return laid.height;
}

// ---------------------------------------------------------------------------------------------
// Tables

export type TableColumn = {
  header: string;
  /** relative width: the widths are scaled to fill the table */
  width: number;
  align?: PdfAlign;
  /** left empty, with a line to sign on */
  signature?: boolean;
};

export type TableOptions = {
  columns: TableColumn[];
  /** one string per column (signature columns: an optional small note above the line) */
  rows: string[][];
  x?: number;
  width?: number;
  size?: number;
  /** rows are at least this tall (room for a signature) */
  minRowHeight?: number;
  padding?: number;
  /** called on each new page the table continues on, before its header is repeated (draw a heading; move doc.y) */
  onNewPage?: () => void;
};

const GRID = "#8a8a8a";
const HEADER_FILL = "#e8e8e8";

/**
 * A grid table: header row (bold, shaded) repeated on every page the table continues on; columns
 * laid out from the right in a right-to-left document; cells wrap; signature cells stay empty
 * with a line to sign on. Starts at doc.y and leaves doc.y below the table.
 */
export function table(doc: PDFKit.PDFDocument, options: TableOptions) {
  const s = settingsOf(doc);
  const size = options.size ?? 9;
  const pad = options.padding ?? 4;
  const minRow = options.minRowHeight ?? 0;
  const box = contentBox(doc);
  const x0 = options.x ?? box.left;
  const total = options.width ?? box.right - x0;
  const weight = options.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = options.columns.map((c) => (c.width / weight) * total);
  // x of each column: from the left in LTR, from the right in RTL
  const lefts: number[] = [];
  let run = 0;
  widths.forEach((w, i) => {
    lefts[i] = s.dir === "rtl" ? x0 + total - run - w : x0 + run;
    run += w;
  });

  const cellHeight = (value: string, i: number, bold: boolean) =>
    textHeight(doc, value, { width: widths[i] - 2 * pad, size, bold, dir: "auto" }) + 2 * pad;
  const headerHeight = Math.max(...options.columns.map((c, i) => cellHeight(c.header, i, true)));

  const drawRow = (cells: string[], top: number, height: number, header: boolean) => {
    doc.save();
    if (header) doc.rect(x0, top, total, height).fill(HEADER_FILL);
    doc.lineWidth(0.6).strokeColor(GRID);
    options.columns.forEach((column, i) => {
      doc.rect(lefts[i], top, widths[i], height).stroke();
      if (!header && column.signature) {
        doc
          .moveTo(lefts[i] + 6, top + height - 7)
          .lineTo(lefts[i] + widths[i] - 6, top + height - 7)
          .lineWidth(0.4)
          .strokeColor("#b5b5b5")
          .stroke();
        doc.lineWidth(0.6).strokeColor(GRID);
      }
    });
    doc.restore();
    options.columns.forEach((column, i) => {
      if (!header && column.signature) {
        // a signature cell may carry a small note (e.g. the attendance already recorded)
        if (cells[i]) text(doc, cells[i], { x: lefts[i] + pad, y: top + 2, width: widths[i] - 2 * pad, size: 7, color: "#555555", dir: "auto" });
        return;
      }
      text(doc, cells[i] ?? "", {
        x: lefts[i] + pad,
        y: top + pad,
        width: widths[i] - 2 * pad,
        size,
        bold: header,
        align: column.align ?? "start",
        dir: header ? undefined : "auto",
      });
    });
  };

  const header = () => {
    const top = doc.y;
    drawRow(options.columns.map((c) => c.header), top, headerHeight, true);
    doc.y = top + headerHeight;
  };
  const newPage = () => {
    addPage(doc);
    options.onNewPage?.();
    header();
  };

  const firstRowHeight = options.rows[0] ? Math.max(minRow, ...options.rows[0].map((c, i) => cellHeight(c, i, false))) : 0;
  if (doc.y + headerHeight + firstRowHeight > contentBox(doc).bottom) newPage();
  else header();
  for (const row of options.rows) {
    const height = Math.max(minRow, ...row.map((c, i) => (options.columns[i]?.signature ? 0 : cellHeight(c, i, false))));
    if (doc.y + height > contentBox(doc).bottom) newPage();
    const top = doc.y;
    drawRow(row, top, height, false);
    doc.y = top + height;
  }
  doc.x = contentBox(doc).left;
}

/** A thin rule across the content width at doc.y. */
export function rule(doc: PDFKit.PDFDocument, gap = 6) {
  const box = contentBox(doc);
  doc.save().moveTo(box.left, doc.y + gap / 2).lineTo(box.right, doc.y + gap / 2).lineWidth(0.5).strokeColor(GRID).stroke().restore();
  doc.y += gap;
}

/** Write a footer on every page once the content is done: text at the start and end sides. */
export function pageFooters(doc: PDFKit.PDFDocument, footer: (page: number, pages: number) => { start?: string; end?: string }) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { start, end } = footer(i - range.start + 1, range.count);
    const box = contentBox(doc);
    const y = box.bottom + 10;
    const endWidth = 110;
    const startWidth = box.width - endWidth - 12;
    const rtl = settingsOf(doc).dir === "rtl";
    if (start) text(doc, start, { x: rtl ? box.right - startWidth : box.left, y, width: startWidth, size: 7.5, color: "#555555", align: "start" });
    if (end) text(doc, end, { x: rtl ? box.left : box.right - endWidth, y, width: endWidth, size: 7.5, color: "#555555", align: "end" });
  }
}

/** End the document and collect its bytes. */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

/** A PDF shown in the browser (inline), never cached: these documents hold personal data. */
export function pdfResponse(filename: string, body: Uint8Array<ArrayBuffer>): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(filename, "inline"),
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
}
