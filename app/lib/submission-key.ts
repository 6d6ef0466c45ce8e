/**
 * The one-time key every create form carries (a hidden field), so that a double click, a resent
 * request or a retry after a dropped connection creates one record, not two. The server side is
 * app/models/submission-keys.server.ts.
 */
export const SUBMISSION_KEY_FIELD = "_key";
