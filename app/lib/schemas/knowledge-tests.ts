import { z } from "zod";
import { msg, optionalText, requiredText, tooLong } from "../forms";
import type { FieldErrors } from "../form-messages";
import { idFrom } from "../params";
import {
  OPTION_LABEL_MAX,
  OPTIONS_MAX,
  OPTIONS_MIN,
  QUESTION_EXPLANATION_MAX,
  QUESTION_KINDS,
  QUESTION_PROMPT_MAX,
  type QuestionKind,
} from "../knowledge-tests";
import { isCalendarDay } from "./sessions";

/** Message keys of the knowledge-test forms (the `knowledgeTests` catalogue). */
export const testMsg = {
  kind: "knowledgeTests.errors.kind",
  optionsTooFew: "knowledgeTests.errors.optionsTooFew",
  singleOneCorrect: "knowledgeTests.errors.singleOneCorrect",
  trueFalse: "knowledgeTests.errors.trueFalse",
  correctOnEmpty: "knowledgeTests.errors.correctOnEmpty",
  day: "knowledgeTests.errors.day",
  time: "knowledgeTests.errors.time",
  closesBeforeOpens: "knowledgeTests.errors.closesBeforeOpens",
  closesInPast: "knowledgeTests.errors.closesInPast",
  timeSkipped: "knowledgeTests.errors.timeSkipped",
  correctCount: "knowledgeTests.errors.correctCount",
} as const;

/** A question as the model takes it: options for single and multiple choice, the answer for true/false. */
export type QuestionInput = {
  kind: QuestionKind;
  prompt: string;
  explanation: string | null;
  /** single and multiple choice: the options in order (empty rows of the form left out) */
  options: { label: string; correct: boolean }[];
  /** true/false: which is correct (null: not chosen yet) */
  trueFalseAnswer: boolean | null;
};

/** The question form's option rows: `option-0` … `option-7` and the ticked `correct` values (row numbers). */
function optionRows(raw: Record<string, unknown>) {
  const ticked = new Set([raw.correct ?? []].flat().map((v) => String(v)));
  const rows: { row: number; label: string; correct: boolean }[] = [];
  for (let row = 0; row < OPTIONS_MAX; row++) {
    const value = raw[`option-${row}`];
    const label = typeof value === "string" ? value.trim() : "";
    rows.push({ row, label, correct: ticked.has(String(row)) });
  }
  return rows;
}

/**
 * The question form. A question may be saved without its correct answer (the test cannot be opened
 * until every question has one); what cannot be saved is a shape that makes no sense: a choice
 * question with fewer than two options, a single-choice question with two correct options, a
 * "correct" tick on an empty row.
 */
export function parseQuestionForm(raw: Record<string, unknown>): { ok: true; data: QuestionInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const base = z
    .object({
      kind: z.enum(QUESTION_KINDS, { errorMap: () => ({ message: testMsg.kind }) }),
      prompt: requiredText(QUESTION_PROMPT_MAX),
      explanation: optionalText(QUESTION_EXPLANATION_MAX),
    })
    .safeParse({ kind: raw.kind, prompt: typeof raw.prompt === "string" ? raw.prompt : undefined, explanation: typeof raw.explanation === "string" ? raw.explanation : undefined });
  if (!base.success) for (const issue of base.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const kind = base.success ? base.data.kind : QUESTION_KINDS.find((k) => k === raw.kind);
  let options: QuestionInput["options"] = [];
  let trueFalseAnswer: boolean | null = null;
  if (kind === "true_false") {
    const answer = raw.trueFalse;
    if (answer === "true" || answer === "false") trueFalseAnswer = answer === "true";
    else if (answer !== undefined && answer !== "") errors.trueFalse = testMsg.trueFalse;
  } else if (kind) {
    const rows = optionRows(raw);
    for (const r of rows) {
      if (r.label.length > OPTION_LABEL_MAX) errors[`option-${r.row}`] ??= tooLong(OPTION_LABEL_MAX);
      if (!r.label && r.correct) errors[`option-${r.row}`] ??= testMsg.correctOnEmpty;
    }
    options = rows.filter((r) => r.label).map((r) => ({ label: r.label, correct: r.correct }));
    if (options.length < OPTIONS_MIN) errors["option-0"] ??= testMsg.optionsTooFew;
    if (kind === "single" && options.filter((o) => o.correct).length > 1) errors.correct = testMsg.singleOneCorrect;
  }
  if (Object.keys(errors).length > 0 || !base.success) return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { form: msg.required } };
  return { ok: true, data: { ...base.data, options, trueFalseAnswer } };
}

/** Does a question (as saved) have its correct answer? */
export function hasCorrectAnswer(input: Pick<QuestionInput, "kind" | "options" | "trueFalseAnswer">) {
  return input.kind === "true_false" ? input.trueFalseAnswer !== null : input.options.some((o) => o.correct);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;
const day = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .refine(isCalendarDay, testMsg.day);
const time = z
  .string({ required_error: msg.required, invalid_type_error: msg.required })
  .trim()
  .min(1, msg.required)
  .regex(TIME, testMsg.time)
  .transform((v) => v.slice(0, 5));
const optionalDay = z.preprocess((v) => (v === "" ? undefined : v), day.optional());
const optionalTime = z.preprocess((v) => (v === "" ? undefined : v), time.optional());

/** A phase's window typed in the event's zone: when it opens (required) and, optionally, when it closes. */
export const scheduleSchema = z
  .object({
    opensDay: day,
    opensTime: time,
    closesDay: optionalDay,
    closesTime: optionalTime,
  })
  .superRefine((v, ctx) => {
    if (v.closesDay && !v.closesTime) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["closesTime"], message: msg.required });
    if (v.closesTime && !v.closesDay) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["closesDay"], message: msg.required });
  });
export type ScheduleInput = z.infer<typeof scheduleSchema>;

/**
 * The answers of a test form: fields `q-<questionId>` whose values are option ids. Anything that is
 * not an id is refused whole (null); which question each option belongs to is the model's check.
 */
export function parseAnswerFields(form: FormData, limit: number): Map<number, number[]> | null {
  const answers = new Map<number, number[]>();
  let values = 0;
  for (const key of new Set(form.keys())) {
    const m = /^q-(.*)$/.exec(key);
    if (!m) continue;
    const questionId = idFrom(m[1]);
    if (questionId === null) return null;
    const optionIds: number[] = [];
    for (const value of form.getAll(key)) {
      const id = idFrom(value);
      if (id === null) return null;
      if (!optionIds.includes(id)) optionIds.push(id);
      if (++values > limit) return null;
    }
    answers.set(questionId, optionIds);
  }
  return answers;
}
