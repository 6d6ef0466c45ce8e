import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/** The words of a search box (at most six, lower case): each must be found for a row to match. */
export function searchWords(text: string): string[] {
  return text.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 6);
}

/** `expression` (text) contains `word`, any case; `%`, `_` and `\` in the word are literal. */
export function containsWord(expression: SQLWrapper, word: string): SQL {
  return sql`lower(${expression}) like ${`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`;
}
