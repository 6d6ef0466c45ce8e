/**
 * The demo's evaluation data: what the participants of the Bahamas victim-identification training
 * learned (a 15-question test taken before and after, paired per person) and what they thought of
 * it (the closed feedback form); the training in progress has its pre-test done and its post-test
 * open, and its certificate requires the post-test (70% or more) and the feedback form.
 *
 * Deterministic: a seeded generator decides every score and answer, so the demo's figures are the
 * same on every machine (only the feedback answers' random ids differ, as they must).
 */
import crypto from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "../client";
import { firstRow } from "../client";
import {
  certificateRequirements,
  events,
  feedbackAnswers,
  feedbackForms,
  feedbackRespondents,
  knowledgeTestAnswers,
  knowledgeTestAttempts,
  knowledgeTestOptions,
  knowledgeTestQuestions,
  knowledgeTests,
  registrations,
  users,
} from "../schema";
import type { QuestionKind } from "../../app/lib/knowledge-tests";
import { zonedToUtc } from "../../app/lib/zoned";

type Question = { kind: QuestionKind; prompt: string; options: [string, boolean][]; explanation: string; /** chance of a right answer before / after the training */ ease: [number, number] };

const tf = (prompt: string, answer: boolean, explanation: string, ease: [number, number]): Question => ({
  kind: "true_false",
  prompt,
  options: [["true", answer], ["false", !answer]],
  explanation,
  ease,
});

/** The Bahamas training's test: key concepts, indicators, trauma-informed interviewing, referral. */
export const VICTIM_ID_TEST: Question[] = [
  {
    kind: "single",
    prompt: "Which international instrument gives the definition of trafficking in persons that most national laws follow?",
    options: [
      ["The UN Trafficking in Persons Protocol (Palermo Protocol, 2000)", true],
      ["The 1951 Refugee Convention", false],
      ["The Vienna Convention on Consular Relations", false],
      ["The Chicago Convention on International Civil Aviation", false],
    ],
    explanation: "The Protocol to Prevent, Suppress and Punish Trafficking in Persons, supplementing the UN Convention against Transnational Organized Crime, defines trafficking; The Bahamas' Trafficking in Persons Act follows it.",
    ease: [0.55, 0.9],
  },
  {
    kind: "multiple",
    prompt: "Which elements make up trafficking in adults under the Protocol? Choose all that apply.",
    options: [
      ["An act: recruitment, transport, transfer, harbouring or receipt of persons", true],
      ["A means: threat, force, deception, abuse of a position of vulnerability…", true],
      ["A purpose of exploitation", true],
      ["The crossing of an international border", false],
    ],
    explanation: "Act, means and purpose: all three are needed for an adult. No border needs to be crossed.",
    ease: [0.3, 0.8],
  },
  tf(
    "For a child, trafficking can be established without any of the “means” (force, deception, coercion…).",
    true,
    "For children under 18, the act and the purpose of exploitation are enough: a child cannot consent to exploitation.",
    [0.45, 0.85],
  ),
  tf(
    "A person who agreed to travel and to the job offered cannot be a victim of trafficking.",
    false,
    "Consent is irrelevant once any of the means was used: a person deceived about the work or its conditions can be a victim.",
    [0.5, 0.9],
  ),
  {
    kind: "single",
    prompt: "What is the main difference between migrant smuggling and trafficking in persons?",
    options: [
      ["Smuggling is a crime against a state's border; trafficking is a crime against a person, for exploitation", true],
      ["Smuggling always involves violence; trafficking never does", false],
      ["Trafficking always involves crossing a border; smuggling does not", false],
      ["There is no difference in law", false],
    ],
    explanation: "Smuggling ends with the irregular entry; trafficking aims at exploiting the person and may happen within one country. A smuggled migrant can become a victim of trafficking.",
    ease: [0.55, 0.85],
  },
  {
    kind: "multiple",
    prompt: "At the airport, which of these may indicate that a traveller is a victim of trafficking? Choose all that apply.",
    options: [
      ["Someone else holds their passport and answers for them", true],
      ["They give a vague or inconsistent account of the job or the employer", true],
      ["They owe a large debt to the recruiter for the trip", true],
      ["They booked their own return ticket", false],
    ],
    explanation: "Control of documents, scripted or inconsistent stories and debt bondage are common indicators. No single indicator proves trafficking: look at them together.",
    ease: [0.35, 0.75],
  },
  {
    kind: "single",
    prompt: "At secondary inspection you suspect that a young woman may be trafficked; the “employer” who came to meet her is waiting in the hall. What do you do first?",
    options: [
      ["Speak with her on her own, away from the person accompanying her", true],
      ["Ask the employer to confirm her story", false],
      ["Refuse entry and put her on the next flight back", false],
      ["Tell her straight away that she is a victim of trafficking", false],
    ],
    explanation: "A presumed victim will not speak freely in front of a possible trafficker. Separate them, calmly, and explain what happens next.",
    ease: [0.6, 0.95],
  },
  tf(
    "Victims of trafficking often do not see themselves as victims.",
    true,
    "Many see their situation as a bad job, a debt to repay or their own fault, and fear the authorities more than their exploiters.",
    [0.6, 0.9],
  ),
  {
    kind: "single",
    prompt: "In a trauma-informed interview, which question is the best one to start with?",
    options: [
      ["“Can you tell me about your journey here, in your own words?”", true],
      ["“Why did you write a false address on your arrival card?”", false],
      ["“Who paid for your ticket? I need names.”", false],
      ["“Do you know that working here without a permit is a crime?”", false],
    ],
    explanation: "Open, non-judgemental questions let the person tell their story at their own pace; accusing or closed questions close the conversation.",
    ease: [0.5, 0.9],
  },
  {
    kind: "multiple",
    prompt: "Which practices make an interview more trauma-informed? Choose all that apply.",
    options: [
      ["Explain who you are, why you are asking and what will happen next", true],
      ["Let the person take breaks when they need them", true],
      ["Offer an interpreter of the gender the person prefers, where possible", true],
      ["Ask the same question again and again until the details match", false],
    ],
    explanation: "Predictability, control over the pace and a safe setting reduce re-traumatisation; repeated questioning increases it.",
    ease: [0.3, 0.7],
  },
  tf(
    "Gaps and contradictions in a person's account show that they are not telling the truth.",
    false,
    "Trauma affects memory: fragmented or inconsistent accounts are common among victims and do not by themselves mean the person is lying.",
    [0.35, 0.55],
  ),
  {
    kind: "single",
    prompt: "Through which channel should a presumed victim identified at the border be referred for protection and assistance?",
    options: [
      ["The national referral mechanism", true],
      ["The employer or recruiter named by the traveller", false],
      ["The airline that brought them", false],
      ["Only the police, once the person agrees to testify", false],
    ],
    explanation: "The national referral mechanism connects immigration, police, social services and shelters so that the person gets protection whatever happens with the case.",
    ease: [0.45, 0.85],
  },
  tf(
    "A presumed victim's access to assistance should not depend on their cooperation with the investigation.",
    true,
    "Assistance and protection come first; cooperation with law enforcement is encouraged, never a condition.",
    [0.4, 0.75],
  ),
  {
    kind: "single",
    prompt: "A 15-year-old arrives with an adult who is not a parent and has no consent letter from the parents. What comes first?",
    options: [
      ["The child's best interests: screen the child separately and refer to child protection services", true],
      ["Let them through if the adult holds a return ticket for the child", false],
      ["Send the child back with the adult on the same flight", false],
      ["Detain the child until the parents can be reached", false],
    ],
    explanation: "An unaccompanied or separated child is referred to child protection; the best interests of the child guide every decision.",
    ease: [0.6, 0.9],
  },
  {
    kind: "multiple",
    prompt: "Which of these are forms of exploitation named in the Protocol? Choose all that apply.",
    options: [
      ["Forced labour or services", true],
      ["Sexual exploitation", true],
      ["Removal of organs", true],
      ["Overtime work paid under a lawful contract", false],
    ],
    explanation: "The Protocol names at a minimum sexual exploitation, forced labour or services, slavery and similar practices, servitude and the removal of organs.",
    ease: [0.4, 0.8],
  },
];

/** The training in progress: trauma-informed interviewing (a shorter test). */
export const CURRENT_TEST: Question[] = [
  VICTIM_ID_TEST[8],
  VICTIM_ID_TEST[9],
  VICTIM_ID_TEST[10],
  tf(
    "When working with an interpreter, you should speak to the interpreter rather than to the person interviewed.",
    false,
    "Speak to the person, in the first person; the interpreter renders what is said, nothing more.",
    [0.5, 0.85],
  ),
  {
    kind: "single",
    prompt: "What should the interview record contain?",
    options: [
      ["What the person said, in their words where it matters, and what was observed — without judgement", true],
      ["Your conclusion on whether the person is lying", false],
      ["Everything, including details of the person's private life that have no bearing on the case", false],
    ],
    explanation: "A factual, respectful record serves the referral and any later case, and protects the person's privacy.",
    ease: [0.55, 0.9],
  },
  tf(
    "A presumed victim may ask for a break at any time during the interview.",
    true,
    "Control over the pace of the interview is part of a trauma-informed approach.",
    [0.7, 0.95],
  ),
];

/** mulberry32 seeded by a text (FNV-1a): the demo's scores and answers are the same on every run. */
function generator(text: string) {
  let a = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type StoredQuestion = { id: number; kind: QuestionKind; ease: [number, number]; options: { id: number; isCorrect: boolean }[] };

async function insertTest(tx: Tx, eventId: number, questions: Question[], windows: { preOpensAt: Date | null; preClosesAt: Date | null; postOpensAt: Date | null; postClosesAt: Date | null }, createdAt: Date) {
  const [test] = await tx.insert(knowledgeTests).values({ eventId, ...windows, createdAt, updatedAt: createdAt }).returning({ id: knowledgeTests.id });
  const stored: StoredQuestion[] = [];
  for (const [i, q] of questions.entries()) {
    const [row] = await tx
      .insert(knowledgeTestQuestions)
      .values({ testId: test.id, position: i + 1, kind: q.kind, prompt: q.prompt, explanation: q.explanation, createdAt, updatedAt: createdAt })
      .returning({ id: knowledgeTestQuestions.id });
    const options = await tx
      .insert(knowledgeTestOptions)
      .values(q.options.map(([label, isCorrect], k) => ({ questionId: row.id, position: k + 1, label, isCorrect })))
      .returning({ id: knowledgeTestOptions.id, isCorrect: knowledgeTestOptions.isCorrect });
    stored.push({ id: row.id, kind: q.kind, ease: q.ease, options });
  }
  return { testId: test.id, questions: stored };
}

/**
 * Which questions a person gets right: `right` of them, the easiest for this person first (each
 * question's ease in this phase, plus the person's own noise), then the options they chose.
 */
function answersFor(questions: StoredQuestion[], phase: 0 | 1, right: number, random: () => number) {
  const ranked = questions.map((q) => ({ q, key: q.ease[phase] + (random() - 0.5) * 0.5 })).sort((a, b) => b.key - a.key);
  const rightIds = new Set(ranked.slice(0, right).map((r) => r.q.id));
  return questions.map((q) => {
    const correct = q.options.filter((o) => o.isCorrect).map((o) => o.id);
    const wrong = q.options.filter((o) => !o.isCorrect).map((o) => o.id);
    if (rightIds.has(q.id)) return { questionId: q.id, optionIds: correct };
    if (q.kind === "multiple") {
      // one correct option left out, and sometimes the wrong one ticked too
      const kept = correct.filter((_, k) => k !== Math.floor(random() * correct.length));
      return { questionId: q.id, optionIds: random() < 0.4 ? [...kept, wrong[0]] : kept };
    }
    return { questionId: q.id, optionIds: [wrong[Math.floor(random() * wrong.length)]] };
  });
}

async function insertAttempt(
  tx: Tx,
  testId: number,
  registrationId: number,
  phase: "pre" | "post",
  questions: StoredQuestion[],
  right: number,
  submittedAt: Date,
  random: () => number,
  paperBy: string | null = null,
) {
  const [attempt] = await tx
    .insert(knowledgeTestAttempts)
    .values({
      testId,
      registrationId,
      phase,
      source: paperBy ? "paper" : "online",
      correct: right,
      total: questions.length,
      submittedAt,
      recordedByUserId: paperBy,
      createdAt: new Date(submittedAt.getTime() - 12 * 60_000),
      updatedAt: submittedAt,
    })
    .returning({ id: knowledgeTestAttempts.id });
  if (paperBy) return;
  const rows = answersFor(questions, phase === "pre" ? 0 : 1, right, random).flatMap((a) => a.optionIds.map((optionId) => ({ attemptId: attempt.id, questionId: a.questionId, optionId })));
  await tx.insert(knowledgeTestAnswers).values(rows);
}

async function confirmedParticipants(tx: Tx, eventId: number) {
  return await tx
    .select({ id: registrations.id, personId: registrations.personId })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed")))
    .orderBy(asc(registrations.id));
}

/** Pre and post scores (of 15) of the Bahamas officers, in roster order: a realistic spread, three who did not improve. */
const VICTIM_ID_SCORES: [number, number | null][] = [
  [8, 13], [7, 12], [9, 13], [6, 11], [8, 8], [7, 11], [9, 14], [6, 9], [8, 12], [7, 12], [9, 13], [8, 11],
  [6, 10], [7, 13], [9, 12], [8, 8], [7, 11], [9, 13], [6, 11], [8, 12], [7, null], [8, 7], [7, 12], [9, 13],
];
/** Officers who did not take the post-test online: index 20 left before the end; index 11 handed in a paper sheet (phone battery). */
const PAPER_POST = new Set([11]);

/** Ratings of the Bahamas feedback form (overall, content, facilitators, relevance, confidence) and comments. */
const VICTIM_ID_FEEDBACK: [number, number, number, number, number, string | null][] = [
  [5, 5, 5, 5, 4, "The interview simulation was the most useful part: I will use the opening questions at secondary inspection."],
  [5, 4, 5, 5, 4, null],
  [4, 4, 5, 5, 4, "More time on the referral steps, please — who to call at night and at weekends."],
  [5, 5, 5, 5, 5, null],
  [4, 4, 4, 5, 3, "I would like a follow-up for colleagues in Grand Bahama and Bimini."],
  [4, 5, 5, 4, 4, null],
  [5, 4, 5, 5, 4, null],
  [3, 3, 4, 4, 3, "The first morning was too theoretical for frontline officers."],
  [4, 4, 5, 5, 4, null],
  [5, 5, 5, 5, 5, "Thank you. The case studies from the region made it real."],
  [4, 4, 4, 4, 4, null],
  [5, 5, 4, 5, 4, null],
  [4, 3, 4, 5, 3, "A printed checklist of indicators to keep at the counter would help."],
  [5, 5, 5, 4, 4, null],
  [4, 4, 5, 5, 4, null],
  [2, 3, 3, 3, 2, null],
  [4, 4, 4, 5, 4, null],
];

function eventIdOf(tx: Tx, title: string) {
  return tx.select({ id: events.id, startDate: events.startDate, endDate: events.endDate }).from(events).where(eq(events.title, title)).limit(1).then((rows) => firstRow(rows)!);
}

export async function seedDemoEvaluation(tx: Tx, titles: { victimIdentification: string; current: string }, today: Date) {
  const NASSAU = "America/Nassau";
  const coordinatorId = firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!.id;
  const random = generator("convene demo evaluation");

  // --- the Bahamas training (9–10 August 2023): pre-test on the first morning, post-test at the end
  const vi = await eventIdOf(tx, titles.victimIdentification);
  const preOpens = zonedToUtc(vi.startDate, "08:30", NASSAU);
  const postOpens = zonedToUtc(vi.endDate, "15:45", NASSAU);
  const viTest = await insertTest(
    tx,
    vi.id,
    VICTIM_ID_TEST,
    { preOpensAt: preOpens, preClosesAt: zonedToUtc(vi.startDate, "09:30", NASSAU), postOpensAt: postOpens, postClosesAt: zonedToUtc(vi.endDate, "16:45", NASSAU) },
    zonedToUtc("2023-08-02", "10:00", NASSAU),
  );
  const officers = await confirmedParticipants(tx, vi.id);
  for (const [i, r] of officers.entries()) {
    const [pre, post] = VICTIM_ID_SCORES[i % VICTIM_ID_SCORES.length];
    await insertAttempt(tx, viTest.testId, r.id, "pre", viTest.questions, pre, new Date(preOpens.getTime() + (15 + (i % 20)) * 60_000), random);
    if (post === null) continue;
    const paper = PAPER_POST.has(i);
    const at = paper ? zonedToUtc("2023-08-11", "10:00", NASSAU) : new Date(postOpens.getTime() + (12 + (i % 25)) * 60_000);
    await insertAttempt(tx, viTest.testId, r.id, "post", viTest.questions, post, at, random, paper ? coordinatorId : null);
  }

  // the feedback form: answered by most officers, closed a week later; who answered and what was
  // answered are written apart, in no common order (docs/feedback.md)
  const [form] = await tx
    .insert(feedbackForms)
    .values({ eventId: vi.id, openedAt: zonedToUtc(vi.endDate, "16:00", NASSAU), openedByUserId: coordinatorId, closedAt: zonedToUtc("2023-08-17", "17:00", NASSAU) })
    .returning({ id: feedbackForms.id });
  const respondents = officers.filter((_, i) => i !== 20 && i !== 15 && i % 7 !== 5).slice(0, VICTIM_ID_FEEDBACK.length);
  for (const r of respondents) await tx.insert(feedbackRespondents).values({ formId: form.id, personId: r.personId });
  const answers = VICTIM_ID_FEEDBACK.slice(0, respondents.length).map(([overall, content, facilitators, relevance, confidence, comment]) => ({
    id: crypto.randomBytes(16).toString("hex"),
    formId: form.id,
    overall,
    content,
    facilitators,
    relevance,
    confidence,
    comment,
  }));
  await tx.insert(feedbackAnswers).values(answers);

  // --- the training in progress: the pre-test taken on the first morning, the post-test open now
  const current = await eventIdOf(tx, titles.current);
  const currentPreOpens = zonedToUtc(current.startDate, "08:45", NASSAU);
  const currentTest = await insertTest(
    tx,
    current.id,
    CURRENT_TEST,
    {
      preOpensAt: currentPreOpens,
      preClosesAt: zonedToUtc(current.startDate, "09:15", NASSAU),
      postOpensAt: new Date(today.getTime() - 5 * 60_000),
      postClosesAt: zonedToUtc(current.endDate, "17:00", NASSAU),
    },
    new Date(currentPreOpens.getTime() - 3 * 86_400_000),
  );
  const currentScores = [3, 2, 4, 3, 2, 3, 4, 2, 3, 3];
  for (const [i, r] of (await confirmedParticipants(tx, current.id)).entries()) {
    await insertAttempt(tx, currentTest.testId, r.id, "pre", currentTest.questions, currentScores[i % currentScores.length], new Date(currentPreOpens.getTime() + (8 + i) * 60_000), random);
  }
  // its certificate asks for the post-test (70% or more) and the feedback form, beside attendance
  await tx.insert(certificateRequirements).values({ eventId: current.id, postTestRequired: true, postTestMinScore: 70, feedbackRequired: true, updatedByUserId: coordinatorId });
}
