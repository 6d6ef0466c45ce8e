import writeXlsxFile, { type Row } from "write-excel-file/node";
import { neutralise, type Cell } from "./csv";
import { contentDisposition } from "./file-names";

/**
 * The one Excel writer, beside the one CSV writer (./csv.ts): the same header and rows an export
 * gives its CSV, written as an .xlsx sheet with typed cells — numbers as numbers; a day
 * (YYYY-MM-DD) as a date, a day and time (YYYY-MM-DD HH:MM, or an ISO instant in UTC) as a date and
 * time, as written — a bold header row that stays in view (frozen panes), columns wide enough for
 * their text, right to left for Arabic, and text neutralised exactly as in the CSV (a cell starting
 * with = + - @ is text, never a formula, also once the file is saved again as CSV).
 */

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z)?$/;

/** The widest a column gets (characters), however long its longest text. */
const MAX_WIDTH = 60;

function typed(cell: Cell): Row[number] {
  if (cell === null || cell === undefined || cell === "") return null;
  if (typeof cell === "number") return Number.isFinite(cell) ? { value: cell, type: Number } : { value: String(cell), type: String };
  if (typeof cell === "boolean") return { value: cell, type: Boolean };
  const day = DAY.exec(cell);
  if (day) return { value: new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])), type: Date, format: "yyyy-mm-dd" };
  const at = DAY_TIME.exec(cell);
  if (at) {
    const value = new Date(Date.UTC(+at[1], +at[2] - 1, +at[3], +at[4], +at[5], at[6] ? +at[6] : 0));
    return { value, type: Date, format: "yyyy-mm-dd hh:mm" };
  }
  return { value: String(neutralise(cell)), type: String };
}

function widthOf(cell: Cell) {
  if (cell === null || cell === undefined) return 0;
  return String(cell).length;
}

/** One sheet named after the file (`name`), its header row first. */
export async function toXlsx(sheet: { name: string; header: string[]; rows: Cell[][]; rightToLeft?: boolean }): Promise<Buffer> {
  const data: Row[] = [
    sheet.header.map((h) => ({ value: String(neutralise(h)), type: String, fontWeight: "bold" as const })),
    ...sheet.rows.map((row) => row.map(typed)),
  ];
  const widths = sheet.header.map((h) => Math.max(10, widthOf(h)));
  for (const row of sheet.rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], widthOf(row[i]));
  // a sheet name has at most 31 characters and none of : \ / ? * [ ]
  const name = sheet.name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31) || "Sheet1";
  return await writeXlsxFile(data, { sheet: name, stickyRowsCount: 1, rightToLeft: sheet.rightToLeft, columns: widths.map((w) => ({ width: Math.min(MAX_WIDTH, w + 2) })) }).toBuffer();
}

export function xlsxResponse(filename: string, body: Buffer): Response {
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
    },
  });
}
