import { z } from "zod";
import { FEEDBACK_COMMENT_MAX } from "~/lib/feedback";
import { tooLong } from "~/lib/forms";

const rating = z.enum(["1", "2", "3", "4", "5"], { errorMap: () => ({ message: "feedback.errors.ratingRequired" }) }).transform(Number);
const comment = z
  .string()
  .optional()
  .transform((v) => v?.trim() ?? "")
  .pipe(z.string().max(FEEDBACK_COMMENT_MAX, tooLong(FEEDBACK_COMMENT_MAX)))
  .transform((v) => (v === "" ? null : v));

/** One answer to the feedback form: five ratings from 1 to 5 and an optional comment. */
export const feedbackAnswerSchema = z.object({
  overall: rating,
  content: rating,
  facilitators: rating,
  relevance: rating,
  confidence: rating,
  comment,
});

/** One answer to a session's form: three ratings from 1 to 5 and an optional comment. */
export const sessionFeedbackAnswerSchema = z.object({
  content: rating,
  facilitators: rating,
  relevance: rating,
  comment,
});

