/**
 * Knowledge tests: the vocabulary and the arithmetic shared by the schema, the models and the pages.
 * Pure functions only (no database, no request), so the browser may import them too.
 */

/** single: one correct option; multiple: one or more; true_false: two fixed options, True then False. */
export const QUESTION_KINDS = ["single", "multiple", "true_false"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The same test is taken before the training (pre) and after it (post). */
export const TEST_PHASES = ["pre", "post"] as const;
export type TestPhase = (typeof TEST_PHASES)[number];

/** online: answered in Convene; paper: a score a coordinator typed from a paper sheet. */
export const ATTEMPT_SOURCES = ["online", "paper"] as const;
export type AttemptSource = (typeof ATTEMPT_SOURCES)[number];

/** Limits that keep a form (and a forged request) small. */
export const QUESTION_PROMPT_MAX = 1000;
export const QUESTION_EXPLANATION_MAX = 2000;
export const OPTION_LABEL_MAX = 300;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 8;
/** a test is a quiz, not an exam bank: more is a typing (or copying) accident */
export const QUESTIONS_MAX = 100;

export function isTestPhase(value: unknown): value is TestPhase {
  return value === "pre" || value === "post";
}

/** A score as a percentage with one decimal (14 of 15 → 93.3). */
export function scorePercent(correct: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((correct / total) * 1000) / 10;
}

/**
 * A person's gain in percentage points, one decimal, from the raw scores: 7 then 11 right of 15 is
 * +26.7 (46.7 → 73.3 shown), not the difference of the two rounded figures (+26.6).
 */
export function scoreGain(pre: { correct: number; total: number }, post: { correct: number; total: number }): number {
  const share = (s: { correct: number; total: number }) => (s.total <= 0 ? 0 : s.correct / s.total);
  // + 0 turns a rounded -0 into 0
  return Math.round((share(post) - share(pre)) * 1000) / 10 + 0;
}

/** Is the question answered correctly: exactly its correct options were chosen (all or nothing). */
export function answeredCorrectly(chosen: readonly number[], correct: readonly number[]): boolean {
  if (correct.length === 0 || chosen.length !== correct.length) return false;
  const want = new Set(correct);
  return chosen.every((id) => want.has(id));
}

/**
 * A 32-bit seed from a text (FNV-1a): the same person and question always give the same number,
 * on the server and in a test, with no randomness stored.
 */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a tiny deterministic generator, enough to shuffle four options. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The options of a question in the order one person sees them: shuffled, seeded by the person and
 * the question, so a reload (or the post-test) shows the same order to that person while the
 * person beside them sees another. True/false keeps True before False, as everyone expects.
 */
export function shuffledFor<T>(items: readonly T[], personId: number, questionId: number): T[] {
  const out = [...items];
  const random = generator(seedOf(`${personId}:${questionId}`));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export type PairedScores = { pre: number | null; post: number | null };

export type TestSummary = {
  /** people with both a pre and a post score */
  paired: number;
  preTaken: number;
  postTaken: number;
  /** means over the paired people (percent), null when nobody is paired */
  meanPre: number | null;
  meanPost: number | null;
  meanGain: number | null;
  /** mean of (post − pre) / (100 − pre) over paired people whose pre-test was below 100 */
  normalisedGain: number | null;
  /** how many paired people that mean counts */
  normalisedCount: number;
  /** share of paired people whose post score is above their pre score (0–1) */
  improvedShare: number | null;
  improved: number;
};

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** The event's figures from each person's scores (percentages). */
export function summarise(people: readonly PairedScores[]): TestSummary {
  const paired = people.filter((p): p is { pre: number; post: number } => p.pre !== null && p.post !== null);
  const normalisable = paired.filter((p) => p.pre < 100);
  const improved = paired.filter((p) => p.post > p.pre).length;
  return {
    paired: paired.length,
    preTaken: people.filter((p) => p.pre !== null).length,
    postTaken: people.filter((p) => p.post !== null).length,
    meanPre: mean(paired.map((p) => p.pre)),
    meanPost: mean(paired.map((p) => p.post)),
    meanGain: mean(paired.map((p) => p.post - p.pre)),
    normalisedGain: mean(normalisable.map((p) => (p.post - p.pre) / (100 - p.pre))),
    normalisedCount: normalisable.length,
    improvedShare: paired.length === 0 ? null : improved / paired.length,
    improved,
  };
}
