/**
 * The feedback form's fixed questions, in the order they are asked and shown: each is rated from
 * 1 (lowest) to 5 (highest). Shared by the participant's form and the coordinator's results.
 */
export const FEEDBACK_QUESTIONS = ["overall", "content", "facilitators", "relevance", "confidence"] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];

/**
 * The shorter form of a single session (asked after each session that has one): the session's
 * content, its facilitators or speakers, and its relevance to one's work. "Overall" and
 * "confidence to apply it" are questions about the whole training, asked by the end-of-event form.
 */
export const SESSION_FEEDBACK_QUESTIONS = ["content", "facilitators", "relevance"] as const satisfies readonly FeedbackQuestion[];
export type SessionFeedbackQuestion = (typeof SESSION_FEEDBACK_QUESTIONS)[number];
/** One answer to a session's form. */
export type SessionFeedbackInput = Record<SessionFeedbackQuestion, number> & { comment: string | null };

export const FEEDBACK_SCALE = [1, 2, 3, 4, 5] as const;

/** The longest comment kept (characters): a few paragraphs, never a document pasted in. */
export const FEEDBACK_COMMENT_MAX = 2000;

/**
 * Answers are shown to the coordinator only once the form is closed and at least this many people
 * answered: with fewer, the list of who answered would point at who said what (the donors' rule for
 * small groups, docs/donor-figures.md, is the same number).
 */
export const FEEDBACK_RESULTS_MIN = 5;
