import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id parameters: m=19456 KiB, t=2, p=1. Algorithm 2 = Argon2id. */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;


export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spend the same time as a real verification when there is no account (or no password yet), so
 * that response times do not reveal which emails have accounts.
 */
export async function verifyAgainstDummy(password: string) {
  dummyHash ??= hashPassword("convene-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}
