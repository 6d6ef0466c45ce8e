import { sql } from "drizzle-orm";
import { integer, nowMs } from "./dialect";

/** Every instant is stored as UTC milliseconds since the epoch (one choice everywhere). */
export const instant = (name: string) => integer(name, { mode: "timestamp_ms" });

/** created/updated timestamps shared by every table that changes. */
export const timestamps = {
  createdAt: instant("created_at")
    .notNull()
    .default(nowMs),
  updatedAt: instant("updated_at")
    .notNull()
    .default(nowMs)
    .$onUpdate(() => new Date()),
};

/** Build a CHECK constraint expression `col IN ('a','b')` from an enum list. */
export function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(", ")})`);
}

/** CHECK that column `a` is not after column `b` (either may be null). */
export function inOrder(a: string, b: string) {
  return sql.raw(`${a} IS NULL OR ${b} IS NULL OR ${a} <= ${b}`);
}
