/**
 * The one source of "now" for domain code, so that tests can move time instead of sleeping.
 * Production never calls setClock.
 */
let clock: () => number = () => Date.now();

export function now(): Date {
  return new Date(clock());
}

export function nowMs(): number {
  return clock();
}

export function setClock(fn: (() => number) | null) {
  clock = fn ?? (() => Date.now());
}
