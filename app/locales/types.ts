import type en from "./en";

/** Plural forms beyond English's one/other (Arabic has six: zero, one, two, few, many, other). */
type PluralForms = { [key: `${string}_${"zero" | "one" | "two" | "few" | "many" | "other"}`]: string };

/** The shape of an English catalogue (or section) that a translation must fill. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & PluralForms;

/** A catalogue has every key of the English one (plural forms vary by language: see the catalogue test). */
export type Catalogue = Shape<typeof en>;

/**
 * A section of the catalogues kept in its own file (app/locales/sections/*.ts), one object per
 * language; each language's catalogue mounts it under a top-level key.
 */
export type Section<E> = { en: E; fr: Shape<E>; es: Shape<E>; ar: Shape<E> };
