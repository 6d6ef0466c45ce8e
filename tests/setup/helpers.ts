import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq, sql, type SQL } from "drizzle-orm";
import { getDb, firstRow, queryAll, execute } from "../../db/client";
import { organisations, users } from "../../db/schema";
import { hashPassword } from "~/auth/password.server";
import { createLoginSession } from "~/auth/session.server";
import type { OrganisationKind, Role } from "~/lib/domain";
import { newUserId } from "~/models/accounts.server";

export const APP = "http://localhost:3000";
export const PASSWORD = "correct horse battery";

let cachedHash: Promise<string> | undefined;
async function passwordHash() {
  cachedHash ??= hashPassword(PASSWORD);
  return cachedHash;
}

let counter = 0;
export async function createUser(input: {
  role: Role;
  email?: string;
  name?: string;
  organisationId?: number | null;
  disabled?: boolean;
  withoutPassword?: boolean;
}) {
  counter++;
  const id = newUserId();
  const email = input.email ?? `${input.role}${counter}@test.example`;
  await getDb()
    .insert(users)
    .values({
      id,
      email,
      name: input.name ?? `Test ${input.role} ${counter}`,
      role: input.role,
      organisationId: input.organisationId ?? null,
      passwordHash: input.withoutPassword ? null : await passwordHash(),
      disabledAt: input.disabled ? new Date() : null,
    });
  return { id, email, role: input.role, organisationId: input.organisationId ?? null };
}

export async function createOrganisation(name: string, kind: OrganisationKind, country = "BS") {
  return (await getDb().insert(organisations).values({ name, kind, country }).returning())[0];
}

/** A Cookie header for a fresh session of this user. */
export async function sessionCookie(user: { id: string; role: Role }) {
  const setCookie = await createLoginSession(user);
  return setCookie.split(";")[0];
}

let requestCounter = 0;

/** A real Request as the browser would send it (same-origin POSTs carry an Origin header). */
export function makeRequest(
  path: string,
  init: { method?: string; form?: Record<string, string | string[]>; cookie?: string; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  // each request from its own address unless a test says otherwise, so per-address abuse limits
  // only trip in the tests about them
  if (!headers.has("x-convene-client-ip")) headers.set("x-convene-client-ip", `test-client-${++requestCounter}`);
  let body: URLSearchParams | undefined;
  if (init.form) {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form)) for (const item of [v].flat()) body.append(k, item);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!headers.has("Origin")) headers.set("Origin", APP);
  }
  return new Request(`${APP}${path}`, { method: init.method ?? (init.form ? "POST" : "GET"), headers, body });
}

/** Call a loader or action as Remix would; thrown Responses (redirects, 403, 404) are returned. */
export async function call<T>(
  fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<T> | T,
  request: Request,
  params: Record<string, string> = {},
): Promise<T | Response> {
  try {
    return await fn({ request, params, context: {} } as LoaderFunctionArgs & ActionFunctionArgs);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

/** The status and body of a loader/action result (Remix `data()` results or Responses). */
export function unwrap(result: unknown): { status: number; data: any; headers: Headers } {
  if (result instanceof Response) return { status: result.status, data: null, headers: result.headers };
  const r = result as { type?: string; data?: unknown; init?: ResponseInit | null };
  if (r && r.type === "DataWithResponseInit") {
    return { status: r.init?.status ?? 200, data: r.data, headers: new Headers(r.init?.headers) };
  }
  return { status: 200, data: result, headers: new Headers() };
}

export async function userRow(id: string) {
  return firstRow(await getDb().select().from(users).where(eq(users.id, id)).limit(1));
}

/**
 * A raw statement for a test's own checks, on whichever engine the suite runs (SQLite or
 * PostgreSQL): `?` marks a parameter. Quote camel-case aliases (`as "personId"`): PostgreSQL folds
 * unquoted names to lower case.
 */
export function rawSql(text: string, params: unknown[] = []): SQL {
  const parts = text.split("?");
  if (parts.length - 1 !== params.length) throw new Error(`rawSql: ${parts.length - 1} placeholders, ${params.length} parameters`);
  let query = sql.raw(parts[0]);
  parts.slice(1).forEach((part, index) => {
    query = sql`${query}${params[index]}${sql.raw(part)}`;
  });
  return query;
}

/** Every row of a raw query (see rawSql). */
export async function rawAll<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]> {
  return await queryAll<T>(getDb(), rawSql(text, params));
}

/** The first row of a raw query (see rawSql). */
export async function rawGet<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await rawAll<T>(text, ...params))[0];
}

/** Run a raw statement (see rawSql). */
export async function rawRun(text: string, ...params: unknown[]): Promise<void> {
  await execute(getDb(), rawSql(text, params));
}

/**
 * Run one statement through a connection of its own, as another process (another app instance)
 * would: a second SQLite handle on the test's file, or a second PostgreSQL client on its database.
 * `?` marks a parameter.
 */
export async function runElsewhere(text: string, ...params: unknown[]): Promise<void> {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      let index = 0;
      await client.query(text.replace(/\?/g, () => `$${++index}`), params);
    } finally {
      await client.end();
    }
    return;
  }
  const { default: Database } = await import("better-sqlite3");
  const other = new Database(process.env.DATABASE_PATH!);
  try {
    other.prepare(text).run(...params);
  } finally {
    other.close();
  }
}

/**
 * Remove the demo's knowledge tests, feedback forms and certificate requirements (db/seed/demo-evaluation.ts),
 * for tests that build their own on the demo events from scratch.
 */
export async function clearDemoEvaluation() {
  const { certificateRequirements, feedbackForms, knowledgeTests } = await import("../../db/schema");
  const db = getDb();
  await db.delete(knowledgeTests);
  await db.delete(feedbackForms);
  await db.delete(certificateRequirements);
}
