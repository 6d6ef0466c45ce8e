import crypto from "node:crypto";
import { nowMs } from "./clock";
import { hit, type Limit } from "~/auth/rate-limit.server";
import { clientIp } from "~/auth/session.server";
import { authenticateApiToken, type TokenActor } from "~/models/api-tokens.server";
import { FieldError } from "~/models/field-error.server";

/**
 * The API's plumbing (/api/v1): bearer tokens, a rate limit per token with its RateLimit headers,
 * JSON with ETag / If-None-Match, and every error as RFC 9457 problem details. Routes call
 * `apiHandler`; the permission checks are the models', as for the pages.
 */

/** Requests one token may make per minute (every process shares the count: it is in the database). */
export const API_LIMIT: Limit = { limit: 600, windowMs: 60_000 };
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
  const text = JSON.stringify(body);
  const etag = `"${crypto.createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;
  headers.set("ETag", etag);
  headers.set("Cache-Control", "private, no-cache");
  headers.set("Vary", "Authorization");
  const wanted = request.headers.get("If-None-Match");
  if (status === 200 && wanted && wanted.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(text, { status, headers });
}

const STATUS_SLUGS: Record<number, [string, string]> = {
  400: ["bad-request", "The request is not valid"],
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
    return await handler(auth.actor, headers);
  } catch (error) {
    if (error instanceof Response) {
      if (error.headers.get("Content-Type")?.startsWith("application/problem+json")) return error;
      const [slug, title] = STATUS_SLUGS[error.status] ?? ["error", "The request failed"];
      return problem(error.status, slug, title, undefined, {}, headers);
    }
    if (error instanceof FieldError) {
      return problem(422, "invalid-field", "A field is not valid", undefined, { errors: [{ field: error.field, code: error.messageKey }] }, headers);
    }
    throw error;
  }
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
