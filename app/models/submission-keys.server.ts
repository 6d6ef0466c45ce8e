import crypto from "node:crypto";
import { eq, lt } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { submissionKeys } from "../../db/schema";
import { now, nowMs } from "~/lib/clock";
import { SUBMISSION_KEY_FIELD } from "~/lib/submission-key";

/**
 * One-time keys of create forms (issue 10, "double submits").
 *
 * Each create form carries a random key (`newSubmissionKey()` in the page's loader, rendered by
 * `<SubmissionKey>`). The action passes the work that creates the record to `once()`: in ONE
 * IMMEDIATE write transaction it looks the submission up, and either
 *   - finds it: creates nothing and answers with the place the first submission led to, or
 *   - does not: creates the record and stores the submission with that place, in the same
 *     transaction (a crash cannot leave a record without its key, or a key without its record).
 * A submission that fails (a form error) stores nothing: correcting and resending it works.
 *
 * What is stored is not the raw key but a digest of the key together with the form's scope, the
 * path, who sends it (so nobody can replay another person's key to learn where it led) and every
 * field of the form: the same form sent again is recognised, while a page restored from the
 * browser's history with an old key and different content is a new submission.
 *
 * A request without a key (or with a malformed one: scripts, pages from before keys existed) is
 * accepted and simply not protected — the decision is the same on every form. Keys older than a
 * day are pruned by the same transaction (an index range, usually empty).
 */

export const SUBMISSION_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;

export function newSubmissionKey(): string {
  return crypto.randomUUID();
}

export type Submission = { digest: string; scope: string };

/** The submission of a create form, or null when it carries no (well-formed) key. */
export function submissionOf(request: Request, formData: FormData, scope: string, userId: string | null): Submission | null {
  const key = formData.get(SUBMISSION_KEY_FIELD);
  if (typeof key !== "string" || !KEY_PATTERN.test(key)) return null;
  const hash = crypto.createHash("sha256");
  hash.update(JSON.stringify([scope, userId ?? "", key, new URL(request.url).pathname]));
  for (const [name, value] of formData.entries()) {
    if (name === SUBMISSION_KEY_FIELD) continue;
    hash.update(JSON.stringify([name, typeof value === "string" ? value : `file:${value.name}:${value.size}`]));
  }
  return { digest: hash.digest("base64url"), scope };
}

/**
 * The submission of an API write, keyed by its `Idempotency-Key` header (the IETF draft's name;
 * the same key format as the forms'): the same key, body, address and user again is the same
 * submission — answered with what the first one made, nothing created twice. Null without a key.
 */
export function submissionOfApiRequest(request: Request, body: unknown, scope: string, userId: string): Submission | null {
  const key = request.headers.get("Idempotency-Key")?.trim().replace(/^"(.*)"$/, "$1");
  if (!key || !KEY_PATTERN.test(key)) return null;
  const digest = crypto
    .createHash("sha256")
    .update(JSON.stringify(["api", scope, userId, key, new URL(request.url).pathname, body]))
    .digest("base64url");
  return { digest, scope };
}

export type Once<T> = { replayed: true; location: string } | { replayed: false; result: T };

/**
 * Run `create` at most once per submission. `locationOf` says where a successful result leads
 * (stored with the key), or null for a refusal (nothing stored). `create` runs inside this
 * transaction (its own transactions become savepoints of it).
 */
export async function once<T>(submission: Submission | null, create: () => T | Promise<T>, locationOf: (result: T) => string | null): Promise<Once<T>> {
  if (!submission) return { replayed: false, result: await create() };
  return await getDb().transaction(
    async (tx) => {
      const seen = firstRow(await tx.select({ location: submissionKeys.location }).from(submissionKeys).where(eq(submissionKeys.key, submission.digest)).limit(1));
      if (seen) return { replayed: true as const, location: seen.location ?? "/" };
      const result = await create();
      const location = locationOf(result);
      if (location !== null) {
        await tx.delete(submissionKeys).where(lt(submissionKeys.createdAt, new Date(nowMs() - SUBMISSION_KEY_TTL_MS)));
        await tx.insert(submissionKeys).values({ key: submission.digest, scope: submission.scope, location, createdAt: now() });
      }
      return { replayed: false as const, result };
    },
    { behavior: "immediate" },
  );
}

/** `once()` for the common case: `create` returns the place the new record is shown. */
export async function createOnce(submission: Submission | null, create: () => string | Promise<string>): Promise<string> {
  const outcome = await once(submission, create, (location) => location);
  return outcome.replayed ? outcome.location : outcome.result;
}
