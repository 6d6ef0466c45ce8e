/** A positive integer id from a URL segment, or a 404 (ids are never guessed into 500s). */
export function idParam(value: string | undefined): number {
  const n = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new Response("Not found", { status: 404 });
  }
  return n;
}

/** The `page` query parameter: a positive integer, 1 when missing or nonsense (the model clamps it to the last page). */
export function pageParam(url: URL): number {
  const raw = url.searchParams.get("page") ?? "";
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}
