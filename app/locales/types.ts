import type en from "./en";

/** A catalogue has every key of the English one (plural forms vary by language: see the catalogue test). */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
