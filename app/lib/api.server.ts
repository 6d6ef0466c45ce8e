import crypto from "node:crypto";
import { config } from "~/config.server";
import { nowMs } from "./clock";
import { hit, type Limit } from "~/auth/rate-limit.server";
import { clientIp } from "~/auth/session.server";
import type { z } from "zod";
import { authenticateApiToken, type TokenActor } from "~/models/api-tokens.server";
import { throughApiToken } from "~/models/audit.server";
import { FieldError } from "~/models/field-error.server";
import { messageParts } from "./form-messages";
import { parseForm } from "./forms";
import { API_BODY_MAX_BYTES } from "./request-limits";

/**
 * The API's plumbing (/api/v1): bearer tokens, a rate limit per token with its RateLimit headers,
 * JSON with ETag / If-None-Match, and every error as RFC 9457 problem details. Routes call
 * `apiHandler`; the permission checks are the models', as for the pages.
 */

/**
 * Requests one token may make per minute (every process shares the count: it is in the database):
 * 600 unless API_RATE_LIMIT_PER_MINUTE says otherwise.
 */
export const apiLimit = (): Limit => ({ limit: config().apiRateLimitPerMinute, windowMs: 60_000 });
const PROBLEM_BASE = "https://convene.example/problems/";

export type Problem = { type: string; title: string; status: number; detail?: string; [extra: string]: unknown };

export function problem(status: number, slug: string, title: string, detail?: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}): Response {
  const body: Problem = { type: `${PROBLEM_BASE}${slug}`, title, status, ...(detail ? { detail } : {}), ...extra };
  const h = new Headers(headers);
  h.set("Content-Type", "application/problem+json");
  h.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** The token a request carries (Authorization: Bearer …), checked and counted; a Response to send back otherwise. */
async function authenticate(request: Request, write: boolean): Promise<{ actor: TokenActor; headers: Headers }> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  const challenge = { "WWW-Authenticate": 'Bearer realm="convene"' };
  if (!match) throw problem(401, "unauthenticated", "A token is needed", "Send an access token from /account/tokens as 'Authorization: Bearer <token>'.", {}, challenge);
  const actor = await authenticateApiToken(match[1], clientIp(request));
  if (!actor) throw problem(401, "invalid-token", "The token is not valid", "The token is unknown, revoked or expired, or its account is disabled.", {}, { ...challenge, "WWW-Authenticate": 'Bearer realm="convene", error="invalid_token"' });
  const API_LIMIT = apiLimit();
  const counted = await hit(`api:${actor.token.id}`, API_LIMIT);
  const windowSeconds = API_LIMIT.windowMs / 1000;
  const resetSeconds = Math.max(1, Math.ceil((counted.windowStart + API_LIMIT.windowMs - nowMs()) / 1000));
  const headers = new Headers({
    "RateLimit-Policy": `"token";q=${API_LIMIT.limit};w=${windowSeconds}`,
    RateLimit: `"token";r=${Math.max(0, API_LIMIT.limit - counted.count)};t=${counted.allowed ? resetSeconds : counted.retryAfterSeconds}`,
  });
  if (!counted.allowed) {
    headers.set("Retry-After", String(counted.retryAfterSeconds));
    throw problem(429, "rate-limited", "Too many requests", `At most ${API_LIMIT.limit} requests a minute per token.`, {}, headers);
  }
  if (write && actor.token.access !== "write") throw problem(403, "read-only-token", "This token may only read", "Create a read-write token on /account/tokens to change data.", {}, headers);
  return { actor, headers };
}

/** A JSON response with a strong ETag of its body; 304 when the client already has it. */
export function apiJson(request: Request, body: unknown, headers: Headers, status = 200): Response {
  // UTF-8 bytes once, for the ETag and the body (a string body is checked character by character)
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  const etag = `"${crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 32)}"`;
  headers.set("ETag", etag);
  headers.set("Cache-Control", "private, no-cache");
  headers.set("Vary", "Authorization");
  const wanted = request.headers.get("If-None-Match");
  if (status === 200 && wanted && wanted.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(bytes, { status, headers });
}

const STATUS_SLUGS: Record<number, [string, string]> = {
  400: ["bad-request", "The request is not valid"],
  401: ["unauthenticated", "A token is needed"],
  403: ["forbidden", "Not allowed"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  409: ["conflict", "Conflict"],
  413: ["too-large", "The request is too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
};

/**
 * Run an API handler as the token's user. Models refuse with Responses (403, 404) and FieldErrors:
 * they become problem details, so a client never gets an HTML page from the API.
 */
export async function apiHandler(
  request: Request,
  options: { write?: boolean },
  handler: (actor: TokenActor, headers: Headers) => Promise<Response>,
): Promise<Response> {
  let headers = new Headers();
  try {
    const auth = await authenticate(request, options.write ?? false);
    headers = auth.headers;
    const { actor } = auth;
    return await throughApiToken(actor.token.id, () => handler(actor, headers));
  } catch (error) {
    if (error instanceof Response) {
      if (error.headers.get("Content-Type")?.startsWith("application/problem+json")) {
        // a problem thrown by a handler keeps the rate-limit headers of the request
        for (const [name, value] of headers) if (!error.headers.has(name)) error.headers.set(name, value);
        return error;
      }
      const [slug, title] = STATUS_SLUGS[error.status] ?? ["error", "The request failed"];
      return problem(error.status, slug, title, undefined, {}, headers);
    }
    if (error instanceof FieldError) {
      const values = Object.fromEntries(Object.entries(error.values).map(([k, v]) => [k, String(v)]));
      const entry = Object.keys(values).length > 0 ? { field: error.field, code: error.messageKey, values } : { field: error.field, code: error.messageKey };
      return problem(422, "invalid-field", "A field is not valid", undefined, { errors: [entry] }, headers);
    }
    throw error;
  }
}

/** The methods an address answers, for the other methods' 405 (the token is checked first: nothing is said to strangers). */
export async function methodNotAllowed(request: Request, allow: string): Promise<Response> {
  return apiHandler(request, {}, async (_actor, headers) => {
    headers.set("Allow", allow);
    return problem(405, "method-not-allowed", "Method not allowed", `This address answers ${allow}.`, {}, headers);
  });
}

/** Items a list page gives at most, and by default. */
export const API_PAGE_MAX = 100;
export const API_PAGE_DEFAULT = 50;

/** `cursor` and `limit` of a list request, or a 400 problem. */
export function pageParams(url: URL): { after: number | null; limit: number } {
  const after = decodeCursor(url.searchParams.get("cursor"));
  if (after === "invalid") throw problem(400, "bad-cursor", "The cursor is not valid", "Use the `next` cursor of a previous page, unchanged.");
  const limitParam = url.searchParams.get("limit");
  const limit = limitParam === null ? API_PAGE_DEFAULT : Number(limitParam);
  if (!/^\d{1,3}$/.test(limitParam ?? "50") || !Number.isInteger(limit) || limit < 1 || limit > API_PAGE_MAX) {
    throw problem(400, "bad-limit", "The limit is not valid", `limit is a whole number from 1 to ${API_PAGE_MAX}.`);
  }
  return { after, limit };
}

/** A page of a list as the API gives it: the items, and the cursor of the next page (null on the last). */
export function listPage<T extends { id: number }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, next: rows.length > limit && last ? encodeCursor(last.id) : null };
}

/** An id in the address (digits), or 404: a malformed id is as unknown as a missing one. */
export function apiId(value: string | undefined): number {
  if (typeof value !== "string" || !/^\d{1,10}$/.test(value)) throw problem(404, "not-found", "Not found");
  const n = Number(value);
  if (n < 1 || n > 2_147_483_647) throw problem(404, "not-found", "Not found");
  return n;
}

/**
 * The JSON object a write sends: 415 for another content type, 413 past API_BODY_MAX_BYTES, 400 for
 * a body that is not a JSON object. Nothing has changed when these are thrown.
 */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw problem(415, "unsupported-media-type", "Unsupported media type", "Send the body as JSON (Content-Type: application/json).");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const tooLarge = () => problem(413, "too-large", "The request is too large", `A request to the API may send at most ${API_BODY_MAX_BYTES} bytes.`);
  if (declared > API_BODY_MAX_BYTES) throw tooLarge();
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw problem(400, "unreadable-body", "The body could not be read");
  }
  if (Buffer.byteLength(text) > API_BODY_MAX_BYTES) throw tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw problem(400, "invalid-json", "The body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw problem(400, "not-an-object", "The body must be a JSON object");
  return body as Record<string, unknown>;
}

export type ApiFieldError = { field: string; code: string; values?: Record<string, string> };

/**
 * 422 with one entry per field in error: `code` is the message key the pages translate, `values`
 * what it says (the longest length allowed…), when it says something.
 */
export function invalidFields(errors: { field: string; code: string }[]): Response {
  const shown: ApiFieldError[] = errors.map(({ field, code }) => {
    const { key, values } = messageParts(code);
    return Object.keys(values).length > 0 ? { field, code: key, values } : { field, code: key };
  });
  return problem(422, "invalid-field", shown.length === 1 ? "A field is not valid" : "Some fields are not valid", undefined, { errors: shown });
}

/**
 * Check a JSON body with the SAME schema as the page's form: the body's values become the form's
 * fields (numbers as digits, true as a ticked checkbox, lists as repeated fields, null as an empty field) and go
 * through `parseForm`. A field the form does not have, or a value of another shape (an object, a
 * list where one value is wanted), is refused (422) rather than ignored.
 */
export function parseJsonInput<S extends z.ZodTypeAny>(
  body: Record<string, unknown>,
  schema: S,
  fields: { single: readonly string[]; lists?: readonly string[]; flags?: readonly string[] },
): z.infer<S> {
  const errors: ApiFieldError[] = [];
  const form = new FormData();
  const scalar = (value: unknown, flag: boolean): string | null => {
    if (typeof value === "string") return value.replaceAll("\u0000", "");
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    // true/false only where the form has a checkbox
    if (typeof value === "boolean" && flag) return value ? "on" : "";
    return null;
  };
  for (const [name, value] of Object.entries(body)) {
    const list = fields.lists?.includes(name) ?? false;
    const flag = fields.flags?.includes(name) ?? false;
    if (!list && !flag && !fields.single.includes(name)) {
      errors.push({ field: name, code: "errors.unknownField" });
      continue;
    }
    if (value === null) {
      if (!list) form.append(name, "");
      continue;
    }
    const values = list && Array.isArray(value) ? value : [value];
    if (list && !Array.isArray(value)) {
      errors.push({ field: name, code: "errors.list" });
      continue;
    }
    const texts = values.map((v) => scalar(v, flag));
    if (texts.some((t) => t === null) || values.length > 1000) {
      errors.push({ field: name, code: "errors.type" });
      continue;
    }
    for (const t of texts) form.append(name, t!);
  }
  if (errors.length > 0) throw invalidFields(errors);
  const parsed = parseForm(form, schema);
  if (!parsed.ok) throw invalidFields(Object.entries(parsed.errors).map(([field, code]) => ({ field, code: String(code) })));
  return parsed.data;
}

/** An opaque cursor: the last id a page gave. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null): number | null | "invalid" {
  if (cursor === null || cursor === "") return null;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const match = /^id:(\d{1,15})$/.exec(text);
  return match ? Number(match[1]) : "invalid";
}
