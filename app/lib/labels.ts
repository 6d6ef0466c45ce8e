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
