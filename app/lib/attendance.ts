/** Attendance share as a whole percentage (null when nothing counts yet). */
export function attendanceRate(attended: number, counted: number): number | null {
  return counted > 0 ? Math.round((attended / counted) * 100) : null;
}
