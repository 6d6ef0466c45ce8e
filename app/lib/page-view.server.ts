import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the loaders of one page view read alike, read once. A page runs the loaders of all its
 * routes (the root, a layout, the page) and each checks the session: three identical lookups.
 *
 * The HTTP layer (server/request-body.ts) runs each GET and HEAD request inside `inPageView`; no
 * action runs there, so nothing a loader reads can change during the request by the request's own
 * doing. Outside a page view (an action, a test calling a loader, a job) every read is made anew.
 */
const pageView = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

export function inPageView<T>(run: () => Promise<T>): Promise<T> {
  return pageView.run(new Map(), run);
}

/** `read()`'s answer, asked once per page view under `key`; each time outside one. */
export function readOncePerPageView<T>(key: string, read: () => Promise<T>): Promise<T> {
  const known = pageView.getStore();
  if (!known) return read();
  let answer = known.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = read();
    known.set(key, answer);
  }
  return answer;
}
