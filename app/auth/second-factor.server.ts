import crypto from "node:crypto";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { firstRow, type DB } from "../../db/client";
import { appSettings } from "../../db/schema";
import { config } from "~/config.server";
import { appCookie } from "./cookies.server";

/**
 * The pieces of the second factor that are not about who may do what: TOTP codes (RFC 6238 through
 * @oslojs/otp: SHA-1, 30-second steps, 6 digits, what every authenticator app uses), the encryption
 * of the secrets at rest, recovery codes and the signed cookie of a sign-in waiting for its code.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A code of the step before or after the current one is accepted too (clocks drift, people type slowly). */
const GRACE_STEPS = 1;
export const ISSUER = "Convene";

/** The 30-second step a moment belongs to. */
export function timeStep(atMs: number): number {
  return Math.floor(atMs / (TOTP_PERIOD_SECONDS * 1000));
}

/** The code an authenticator app shows for `key` during `step`. */
export function totpCode(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/**
 * The time step whose code `code` is (the current one, or one either side), or null. Every step is
 * compared, in constant time, so the answer's timing says nothing about which one matched.
 */
export function matchingStep(key: Uint8Array, code: string, atMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = timeStep(atMs);
  let found: number | null = null;
  for (let step = now - GRACE_STEPS; step <= now + GRACE_STEPS; step++) {
    if (crypto.timingSafeEqual(Buffer.from(totpCode(key, step)), Buffer.from(code)) && found === null) found = step;
  }
  return found;
}

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation). */
export function newTotpSecret(): Uint8Array {
  return new Uint8Array(crypto.randomBytes(20));
}

/** The otpauth:// address a QR code carries, and the same secret in base32 for typing by hand. */
export function totpKeyUri(accountName: string, key: Uint8Array): { uri: string; base32: string } {
  const uri = createTOTPKeyURI(ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
  return { uri, base32: new URL(uri).searchParams.get("secret") ?? "" };
}

/** RFC 4648 base32 (what authenticator apps show and `npm run demo` prints) to bytes. */
export function base32ToBytes(text: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.toUpperCase().replace(/[\s=-]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

// ——— encryption of the secrets at rest ———

/**
 * Where the key that encrypts the secrets comes from. "env": derived from SECRET_KEY, which lives
 * outside the database, so a stolen database or backup holds no usable secret. "db": 32 random
 * bytes in app_settings, made once, when SECRET_KEY is not set: that protects a leaked table or
 * export, not a whole backup (docs/security.md). Each stored secret names its source, so setting
 * SECRET_KEY later leaves the secrets enrolled before it readable (and new ones use it).
 */
type KeySource = "env" | "db";

const DB_KEY_SETTING = "second_factor_key";
const dbKeys = new WeakMap<object, Buffer>();

async function databaseKey(db: DB): Promise<Buffer> {
  const cached = dbKeys.get(db);
  if (cached) return cached;
  await db.insert(appSettings).values({ key: DB_KEY_SETTING, value: crypto.randomBytes(32).toString("hex") }).onConflictDoNothing();
  const row = firstRow(await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, DB_KEY_SETTING)).limit(1));
  if (!row) throw new Error("second-factor key missing from app_settings");
  const key = Buffer.from(row.value, "hex");
  dbKeys.set(db, key);
  return key;
}

/** A key for one purpose (HKDF-SHA256 over the source's material), so no two uses share a key. */
async function derivedKey(db: DB, source: KeySource, purpose: string): Promise<Buffer> {
  let material: Buffer;
  if (source === "env") {
    const secret = config().secretKey;
    if (!secret) throw new Error("SECRET_KEY is not set, but secrets (second factors, webhook secrets) were stored with it: set it again to read them");
    material = Buffer.from(secret, "utf8");
  } else {
    material = await databaseKey(db);
  }
  return Buffer.from(crypto.hkdfSync("sha256", material, Buffer.alloc(0), `convene ${purpose}`, 32));
}

function currentSource(): KeySource {
  return config().secretKey ? "env" : "db";
}

/**
 * Encrypt a secret for storage (AES-256-GCM) with the key of `purpose`. `boundTo` (the owner's id)
 * is authenticated with it, so a secret copied onto another row does not decrypt. The key source is
 * named in the stored text: secrets sealed before SECRET_KEY was set stay readable.
 */
export async function sealSecret(db: DB, purpose: string, boundTo: string, secret: Uint8Array): Promise<string> {
  const source = currentSource();
  const key = await derivedKey(db, source, purpose);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const encrypted = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ["v1", source, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), encrypted.toString("base64url")].join(".");
}

export async function openSecret(db: DB, purpose: string, boundTo: string, stored: string): Promise<Uint8Array> {
  const [version, source, iv, tag, encrypted] = stored.split(".");
  if (version !== "v1" || (source !== "env" && source !== "db") || !iv || !tag || !encrypted) throw new Error("unreadable stored secret");
  const key = await derivedKey(db, source, purpose);
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(encrypted, "base64url")), decipher.final()]));
}

/**
 * Make sure the key of the current source is ready (the database's is created on first use): call
 * it before a transaction that seals a secret, so that sealing there needs no statement of its own.
 */
export async function prepareSecretKey(db: DB, purpose: string) {
  await derivedKey(db, currentSource(), purpose);
}

/** Encrypt a TOTP secret for storage, bound to the user's id. */
export async function encryptSecret(db: DB, userId: string, secret: Uint8Array): Promise<string> {
  return await sealSecret(db, "second factor secrets", userId, secret);
}

export async function decryptSecret(db: DB, userId: string, stored: string): Promise<Uint8Array> {
  return await openSecret(db, "second factor secrets", userId, stored);
}

// ——— recovery codes ———

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 letters: no I, L, O or U to misread. */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Ten codes of 12 characters (60 random bits each), shown as xxxx-xxxx-xxxx. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = crypto.randomBytes(12);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b & 31]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** A typed recovery code as stored: lower case, without spaces or dashes, misread letters fixed. */
export function normaliseRecoveryCode(input: string): string | null {
  const clean = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return /^[0-9a-hjkmnp-tv-z]{12}$/.test(clean) ? clean : null;
}

/** What is stored of a recovery code: its SHA-256 (60 random bits need no slow hash to resist guessing from a copy). */
export function hashRecoveryCode(normalised: string): string {
  return crypto.createHash("sha256").update(normalised).digest("hex");
}

// ——— a sign-in waiting for its second factor ———

/** How long the code step may take after the password was accepted. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

export type PendingSignIn = {
  userId: string;
  /** the password typed was one the policy now refuses: the session will have to change it */
  passwordRefused: boolean;
  redirectTo: string;
  expiresAt: number;
};

/**
 * The value of the cookie that carries a sign-in between its password and its code: the user, the
 * time it ends, and an HMAC over them. It is no session: no page but the code step reads it.
 */
export async function signPendingSignIn(db: DB, pending: PendingSignIn): Promise<string> {
  const payload = Buffer.from(JSON.stringify(pending), "utf8").toString("base64url");
  const mac = crypto.createHmac("sha256", await derivedKey(db, currentSource(), "pending sign-in")).update(payload).digest("base64url");
  return `${payload}.${mac}`;
}

/** The pending sign-in a cookie value holds, if its HMAC is right and it has not ended at `atMs`. */
export async function readPendingSignIn(db: DB, value: unknown, atMs: number): Promise<PendingSignIn | null> {
  if (typeof value !== "string" || value.length > 2000) return null;
  const [payload, mac] = value.split(".");
  if (!payload || !mac) return null;
  const expected = crypto.createHmac("sha256", await derivedKey(db, currentSource(), "pending sign-in")).update(payload).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const pending = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as PendingSignIn;
    if (typeof pending.userId !== "string" || typeof pending.expiresAt !== "number" || pending.expiresAt <= atMs) return null;
    return { userId: pending.userId, passwordRefused: pending.passwordRefused === true, redirectTo: String(pending.redirectTo ?? "/"), expiresAt: pending.expiresAt };
  } catch {
    return null;
  }
}

/** The cookie of a sign-in waiting for its code (HttpOnly, __Host- over https, ends with the wait). */
export const pendingSignInCookie = appCookie("convene_sign_in", { maxAge: PENDING_SIGN_IN_MS / 1000 });
