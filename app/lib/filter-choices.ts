/**
 * A filter lists its choices (programmes, donors) while there are at most this many; beyond (a
 * global organisation's 400 programmes: half of a page's weight, twice, as HTML and as the data
 * React hydrates with), it searches (/programme-choices, /organisation-choices?scope=donor), the
 * current choice sent with the page. For staff only: the searches are theirs, and a donor's or a
 * partner's lists are their own programmes and their donors, listed whatever their number.
 */
export const FILTER_LISTED = 100;

/** The choices to list (null: too many, the filter searches) and, when not listed, the one chosen. */
export function listedOrSearched<T extends { id: number }>(all: T[], chosen: string | undefined, staff: boolean): { list: T[] | null; current: T | null } {
  if (!staff || all.length <= FILTER_LISTED) return { list: all, current: null };
  return { list: null, current: all.find((o) => String(o.id) === chosen) ?? null };
}
