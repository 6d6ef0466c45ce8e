import crypto from "node:crypto";

/** A URL-safe random token of 256 bits. */
export function generateToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** Tokens are stored only as their SHA-256, so a copy of the database does not hold usable links. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
