import type { FieldErrors } from "../forms";
import { sessionSchema, type SessionInput } from "./sessions";

/**
 * The "several sessions in one form" page: numbered rows, each a short session form (title, kind,
 * day, start, end, room, one facilitator). Each row is checked with the one-session schema, so a
 * row accepts exactly what the one-session form accepts. Rows left empty are ignored.
 */
export const SEVERAL_ROWS_START = 5;
export const SEVERAL_ROWS_STEP = 5;
export const SEVERAL_ROWS_MAX = 30;

export const ROW_FIELDS = ["title", "kind", "day", "start", "end", "room", "facilitator"] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** The form name (and element id) of one field of one row: `row-0-title`. */
export function rowField(index: number, field: RowField) {
  return `row-${index}-${field}`;
}

/** How many rows the form shows: the hidden `rows` field, kept within 1…SEVERAL_ROWS_MAX. */
export function rowCountOf(formData: FormData): number {
  const raw = Number(formData.get("rows"));
  if (!Number.isInteger(raw) || raw < 1) return SEVERAL_ROWS_START;
  return Math.min(raw, SEVERAL_ROWS_MAX);
}

export const severalMsg = {
  noRows: "timetableEntry.errors.noRows",
} as const;

/**
 * The rows that are right as typed, and the errors of the others. The rows that are right still
 * go to the model's checks (rooms, the event's days…), so that every error shows in one answer.
 */
export type ParsedRows = { filled: number; rows: { index: number; input: SessionInput }[]; errors: FieldErrors };

function text(formData: FormData, name: string) {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * Read the rows. A row whose title, times and room are all empty is left out (its selects always
 * carry a value). Errors are keyed by field id (`row-2-start`), so each one shows beside its field
 * and the summary links to it.
 */
export function parseSeveralSessions(formData: FormData): ParsedRows {
  const count = rowCountOf(formData);
  const rows: { index: number; input: SessionInput }[] = [];
  const errors: FieldErrors = {};
  let filled = 0;
  for (let index = 0; index < count; index++) {
    const get = (field: RowField) => text(formData, rowField(index, field));
    if (!["title", "start", "end", "room"].some((f) => get(f as RowField).trim() !== "")) continue;
    filled++;
    const facilitator = get("facilitator").trim();
    const parsed = sessionSchema.safeParse({
      title: get("title"),
      kind: get("kind"),
      day: get("day"),
      start: get("start"),
      end: get("end"),
      room: get("room"),
      description: "",
      facilitator: facilitator ? [facilitator] : [],
    });
    if (parsed.success) {
      rows.push({ index, input: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "title");
      const id = rowField(index, (ROW_FIELDS as readonly string[]).includes(field) ? (field as RowField) : "title");
      if (!errors[id]) errors[id] = issue.message;
    }
  }
  if (filled === 0) errors.form = severalMsg.noRows;
  return { filled, rows, errors };
}

/** The model's field names to this form's: a session's `facilitator` error is the row's facilitator. */
export function rowErrors(index: number, errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const name = (ROW_FIELDS as readonly string[]).includes(field) ? (field as RowField) : "title";
    out[rowField(index, name)] = message;
  }
  return out;
}
