/**
 * The second factor of the demo administrator and coordinator (base32, as authenticator apps take
 * it): fixed, printed by `npm run demo` beside the logins, so anyone trying the demo can add it to
 * an app, and the browser tests compute codes from it. Demo data only: `npm start` never makes it.
 * (Its own module: the server prints it without loading the whole seed.)
 */
export const DEMO_TOTP_SECRET = "CONVENEDEMOSECONDFACTORKEYAAAAAA";
export const DEMO_SECOND_FACTOR_ACCOUNTS = ["admin@example.org", "coordinator@example.org"] as const;
