import type en from "./en";

/** Plural forms beyond English's one/other (Arabic has six: zero, one, two, few, many, other). */
type PluralForms = { [key: `${string}_${"zero" | "one" | "two" | "few" | "many" | "other"}`]: string };

/** A catalogue has every key of the English one (plural forms vary by language: see the catalogue test). */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & PluralForms;
export type Catalogue = Shape<typeof en>;
