import { check, index, integer, table, text, uniqueIndex } from "./dialect";
import { inList, instant, timestamps } from "./columns";
import { users } from "./users";

export const API_TOKEN_ACCESS = ["read", "write"] as const;

/**
 * Personal access tokens for the API (/api/v1): created by a user on /account/tokens, shown once,
 * kept only as a SHA-256 of the secret. A token acts as its user, with that user's permissions;
 * `access` "read" refuses every write whatever the user may do.
 */
export const apiTokens = table(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** hex SHA-256 of the whole token as given to the user */
    tokenHash: text("token_hash").notNull(),
    /** the first characters of the token, to recognise it in the list (never enough to use it) */
    prefix: text("prefix").notNull(),
    access: text("access", { enum: API_TOKEN_ACCESS }).notNull(),
    expiresAt: instant("expires_at").notNull(),
    lastUsedAt: instant("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    revokedAt: instant("revoked_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("api_tokens_hash_unique").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId),
    check("api_tokens_access_check", inList("access", API_TOKEN_ACCESS)),
  ],
);
