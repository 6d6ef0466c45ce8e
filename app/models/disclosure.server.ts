import { sql, type SQL } from "drizzle-orm";
import { sumOf } from "../../db/sql-dialect";

/**
 * Disclosure control: every figure a donor (or a partner, in activity summaries) can see passes
 * through here, on any page, export or API. Coordinators and admins get exact figures.
 *
 * The cell key method, as statistics offices use it for table builders where users choose their
 * own filters (the Australian Bureau of Statistics' TableBuilder):
 * - every counted unit (a person, a registration, an action plan, an item, a follow-up request)
 *   carries a random key from 0 to KEY_MODULUS − 1, stored once (column `cell_key`, migration 0014);
 * - a figure's cell key is the sum of its units' keys modulo KEY_MODULUS, computed by the same SQL
 *   that counts (`keySum`);
 * - the figure shown is the true count plus the offset the perturbation table gives for that cell
 *   key. The same units always give the same figure, so asking again, or through another filter
 *   that selects the same people, reveals nothing new; two figures that differ by one person have
 *   cell keys that differ by that person's (unknown, uniform) key, so their offsets are
 *   independent and subtracting them does not give the person away;
 * - a true count from 1 to SMALL_COUNT − 1 is never shown: "<5" (and no rate is computed from it).
 *
 * Offsets have mean zero and never take a count of 5 or more below 5 (so "<5" always means 1 to
 * 4 and a figure of 5 or more always means at least 5): counts of 8 and more move by up to 3,
 * smaller ones by less (see PERTURBATION). Rates come from perturbed counts, rounded to 5%.
 */

export const KEY_MODULUS = 100;
/** A true count below this (and above zero) shows as "<5". */
export const SMALL_COUNT = 5;
/** Rates are shown to the nearest multiple of this. */
export const RATE_STEP = 0.05;

/** A figure as a donor may see it: a number (perturbed), or "small" (1 to 4: "<5"). */
export type Disclosed = number | "small";
/** A true count with the sum of its units' cell keys. */
export type Cell = { n: number; key: number };

/**
 * How many of the KEY_MODULUS cell keys give each offset, by how far the count stands above the
 * small-count threshold. Each row has mean zero. Count 5 is never moved (it could only move up,
 * and a mean of zero then forces no move at all); 6 moves by at most 1, 7 by at most 2.
 */
const PERTURBATION: { from: number; slots: [offset: number, keys: number][] }[] = [
  { from: 8, slots: [[-3, 5], [-2, 10], [-1, 20], [0, 30], [1, 20], [2, 10], [3, 5]] },
  { from: 7, slots: [[-2, 10], [-1, 20], [0, 40], [1, 20], [2, 10]] },
  { from: 6, slots: [[-1, 25], [0, 50], [1, 25]] },
  { from: 5, slots: [[0, 100]] },
];

/** The table itself: for each row, the offset of each cell key (keys in runs, one run per offset). */
const TABLE = PERTURBATION.map(({ from, slots }) => {
  const offsets = slots.flatMap(([offset, keys]) => Array.from({ length: keys }, () => offset));
  if (offsets.length !== KEY_MODULUS) throw new Error(`perturbation row ${from} has ${offsets.length} keys`);
  return { from, offsets };
});

/** The offset added to a true count of 5 or more, for a cell key (any integer: taken modulo KEY_MODULUS). */
export function offsetFor(n: number, key: number): number {
  const row = TABLE.find((r) => n >= r.from);
  if (!row) return 0;
  const k = ((Math.trunc(key) % KEY_MODULUS) + KEY_MODULUS) % KEY_MODULUS;
  return row.offsets[k];
}

/** A count as a donor sees it: 0 stays 0 (nobody to single out), 1 to 4 is "small", the rest perturbed. */
export function discloseCount({ n, key }: Cell): Disclosed {
  if (n <= 0) return 0;
  if (n < SMALL_COUNT) return "small";
  return n + offsetFor(n, key);
}

/**
 * A share as a donor sees it, from perturbed counts, to the nearest 5%: null when fewer than 5
 * people stand behind it (`people`, the denominator's count unless said) or when the numerator is
 * a small count, since a rate would give that count away.
 */
export function discloseRate(numerator: Cell, denominator: Cell, people = denominator.n): number | null {
  if (denominator.n <= 0 || people < SMALL_COUNT) return null;
  if (numerator.n > 0 && numerator.n < SMALL_COUNT) return null;
  const top = discloseCount(numerator);
  const bottom = discloseCount(denominator);
  if (typeof top !== "number" || typeof bottom !== "number" || bottom <= 0) return null;
  const share = Math.min(1, Math.max(0, top / bottom));
  return Math.round(share / RATE_STEP) * RATE_STEP;
}

/** The SQL sum of the cell keys of the rows counted (0 when none), a number on both engines. */
export function keySum(column: SQL | string): SQL<number> {
  return sumOf(typeof column === "string" ? sql.raw(column) : column, { big: true });
}
