/** Attendance share as a whole percentage (null when nothing counts yet). */
export function attendanceRate(attended: number, counted: number): number | null {
  return counted > 0 ? Math.round((attended / counted) * 100) : null;
}

/** One letter per mark, for a grid sent to the browser as a string per participant ("PPL-A"). */
export const MARK_LETTERS = { present: "P", late: "L", absent: "A", excused: "E" } as const;
/** A session without a mark in a participant's string of letters. */
export const NO_MARK = "-";
const STATUS_OF_LETTER: Record<string, keyof typeof MARK_LETTERS> = { P: "present", L: "late", A: "absent", E: "excused" };

/** The status a letter stands for (undefined: not marked). */
export function markOfLetter(letter: string | undefined) {
  return letter === undefined ? undefined : STATUS_OF_LETTER[letter];
}
