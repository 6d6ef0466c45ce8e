/** A positive integer id from a URL segment, or a 404 (ids are never guessed into 500s). */
export function idParam(value: string | undefined): number {
  const n = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new Response("Not found", { status: 404 });
  }
  return n;
}
