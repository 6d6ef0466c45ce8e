/** What the API token form offers (shared by the page and app/models/api-tokens.server.ts). */

/** Days a token may live, the form's choices. */
export const TOKEN_LIFETIMES = [7, 30, 90, 365] as const;
export const TOKEN_NAME_MAX = 80;
