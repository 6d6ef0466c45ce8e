import { z } from "zod";

/**
 * The largest id a row can have: ids are 32-bit integers in both engines' schemas (PostgreSQL
 * refuses to compare an integer column with a larger number, SQLite would just find nothing).
 */
export const MAX_ID = 2_147_483_647;

/** The id written in `value` (digits only, 1 … MAX_ID), or null for anything else. */
export function idFrom(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_ID ? n : null;
}

/** An id field of a form or query string, for zod schemas (numbers as text, 1 … MAX_ID). */
export const idNumber = z.coerce.number().int().positive().max(MAX_ID);

/** A positive integer id from a URL segment, or a 404 (ids are never guessed into 500s). */
export function idParam(value: string | undefined): number {
  const n = idFrom(value);
  if (n === null) throw new Response("Not found", { status: 404 });
  return n;
}

/** The `page` query parameter: a positive integer, 1 when missing or nonsense (the model clamps it to the last page). */
export function pageParam(url: URL): number {
  const raw = url.searchParams.get("page") ?? "";
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}
