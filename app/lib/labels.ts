/**
 * A page of hundreds of rows translates the same few words (a status, a role) again and again, and
 * each i18next lookup costs: `labels(t)` looks each key up once per render and remembers it.
 * Only for keys without values to interpolate.
 */
export function labels(t: (key: never) => unknown): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => {
    let text = known.get(key);
    if (text === undefined) {
      text = String(t(key as never));
      known.set(key, text);
    }
    return text;
  };
}

type Translate = (key: never, options: never) => unknown;
const MARK = "\u0001";

/**
 * A text with values put in (`{{value}}%`, `{{label}}: {{value}}`) that a page repeats hundreds of
 * times: `filler(t, key, names)` looks it up once, with marks in place of the values, and fills the
 * marks in on each use. Only for values put in as they are (no plural count, no formatter in the
 * text); the values are written as given, as i18next does here (escapeValue: false).
 */
export function filler<Name extends string>(t: Translate, key: string, names: readonly Name[]): (values: Record<Name, string>) => string {
  const marks = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`]));
  // "{{label}}: {{value}}" → ["", "0", ": ", "1", ""]: text, then a value's index, then text…
  const parts = String(t(key as never, marks as never)).split(new RegExp(`${MARK}(\\d+)${MARK}`));
  return (values) => {
    let text = parts[0];
    for (let i = 1; i < parts.length; i += 2) text += values[names[Number(parts[i])]] + parts[i + 1];
    return text;
  };
}

const fillers = new WeakMap<object, Map<string, (values: Record<string, string>) => string>>();

/** `filler` kept per translation function (one per render of a page) and key: for helpers called per cell. */
export function keptFiller<Name extends string>(t: Translate, key: string, names: readonly Name[]): (values: Record<Name, string>) => string {
  let byKey = fillers.get(t);
  if (!byKey) fillers.set(t, (byKey = new Map()));
  let fill = byKey.get(key);
  if (!fill) byKey.set(key, (fill = filler(t, key, names) as (values: Record<string, string>) => string));
  return fill;
}
