import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { z } from "zod";
import { requireActor } from "~/auth/session.server";
import { PairedBarChart, type PairedDatum } from "~/components/knowledge-test-charts";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { ErrorSummary, SelectField, TextField } from "~/components/ui/field";
import { Card, EmptyState, Notice, TableFrame } from "~/components/ui/page";
import { Pagination } from "~/components/ui/pagination";
import { readFormData } from "~/lib/form-data.server";
import { formatNumber } from "~/lib/format";
import { choiceId, messageWith, msg, parseForm, type FieldErrors } from "~/lib/forms";
import { TEST_PHASES } from "~/lib/knowledge-tests";
import { pageTitle } from "~/lib/meta";
import { idParam, pageParam } from "~/lib/params";
import { FieldError } from "~/models/field-error.server";
import { recordPaperScore, testResults } from "~/models/knowledge-tests.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "form", "knowledgeTests", "pagination"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "knowledgeTests.results.title");

/**
 * The test's results (admins and coordinators): for the event, per question, and a page of 100
 * people (a search narrows them). The paper-score form offers the people of that page, the one
 * whose row's link was followed (`person`) chosen.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const results = await testResults(actor, eventId, { page: pageParam(url), q });
  const saved = url.searchParams.get("done") === "paper";
  const person = Number(url.searchParams.get("person"));
  const chosen = results.people.some((p) => p.registrationId === person) ? String(person) : "";
  return { ...results, q, chosen, saved };
}

const paperSchema = z.object({
  registrationId: z.preprocess((v) => (v === "" ? undefined : v), choiceId.optional()).refine((v) => v !== undefined, msg.required),
  phase: z.enum(TEST_PHASES, { errorMap: () => ({ message: msg.choice }) }),
  correct: z
    .string({ required_error: msg.required, invalid_type_error: msg.required })
    .trim()
    .min(1, msg.required)
    .regex(/^\d{1,4}$/, "knowledgeTests.errors.correctNumber")
    .transform(Number),
});

type ActionData = { errors: FieldErrors; values: Record<string, string> };

/** A paper score for a person on the roster. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const eventId = idParam(params.eventId);
  const form = await readFormData(request);
  const parsed = parseForm(form, paperSchema);
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await recordPaperScore(actor, eventId, { registrationId: parsed.data.registrationId!, phase: parsed.data.phase, correct: parsed.data.correct });
  } catch (error) {
    if (error instanceof FieldError) {
      const values = Object.fromEntries(["registrationId", "phase", "correct"].map((k) => [k, String(form.get(k) ?? "").slice(0, 20)]));
      return data<ActionData>({ errors: { [error.field]: (Object.keys(error.values).length > 0 ? messageWith(error.messageKey, error.values) : error.messageKey) }, values }, { status: 400 });
    }
    throw error;
  }
  // back to the same page of the table (the search and page the form was posted from)
  const from = new URL(request.url).searchParams;
  const back = new URLSearchParams();
  for (const key of ["q", "page"]) if (from.get(key)) back.set(key, from.get(key)!.slice(0, 100));
  back.set("done", "paper");
  return redirect(`/events/${eventId}/tests/results?${back}#paper`);
}

/** A function of one value whose answers are kept for the render (the same value, the same words). */
function remembered<V, R>(f: (value: V) => R): (value: V) => R {
  const known = new Map<V, R>();
  return (value) => {
    if (known.has(value)) return known.get(value)!;
    const answer = f(value);
    known.set(value, answer);
    return answer;
  };
}

/** From this many confirmed participants on, the per-person table has a search. */
const RESULTS_SEARCH_FROM = 20;

export default function TestResults() {
  const { event, hasQuestions, questionCount, people, participantCount, matching, page, pageCount, firstRow, summary, perQuestion, q, chosen, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const dir = i18n.dir(locale) === "rtl" ? "rtl" : "ltr";
  const n = (v: number) => formatNumber(v, locale);
  // a table of 50 people shows few distinct scores (a 15-question test has 16): each is worded once
  // a percentage never breaks across lines ("60 %" in French): its spaces do not break
  const pct = remembered((v: number | null) => (v === null ? "—" : t("knowledgeTests.results.percent", { value: formatNumber(Math.round(v * 10) / 10, locale) }).replace(/ /g, "\u00a0")));
  const points = remembered((v: number | null) => (v === null ? "—" : t("knowledgeTests.results.points", { value: `${v > 0 ? "+" : ""}${formatNumber(Math.round(v * 10) / 10, locale)}` })));
  const paperBadge = t("knowledgeTests.results.paper");
  const paperLink = t("knowledgeTests.results.paperLink");
  const share = (v: number | null) => (v === null ? "—" : pct(v * 100));
  const back = `/events/${event.id}/tests`;
  const paperable = (p: { preSource: string | null; postSource: string | null }) => !(p.preSource === "online" && p.postSource === "online");
  // the paper-score form offers the page's people with a test not submitted online (and the one followed, or just posted)
  const paperPeople = people.filter((p) => paperable(p) || String(p.registrationId) === chosen || String(p.registrationId) === actionData?.values?.registrationId);
  const paperScoreLink = (p: { registrationId: number; name: string }) => (
    <Link to={paperHref(p.registrationId)} aria-label={t("knowledgeTests.results.paperLinkFor", { name: p.name })} preventScrollReset>
      {paperLink}
    </Link>
  );
  const paperHref = (registrationId: number) => {
    const query = new URLSearchParams();
    if (q) query.set("q", q);
    if (page > 1) query.set("page", String(page));
    query.set("person", String(registrationId));
    return `?${query}#paper`;
  };

  const figures = [
    { key: "paired", label: t("knowledgeTests.results.paired"), value: n(summary.paired) },
    { key: "meanPre", label: t("knowledgeTests.results.meanPre"), value: pct(summary.meanPre) },
    { key: "meanPost", label: t("knowledgeTests.results.meanPost"), value: pct(summary.meanPost) },
    { key: "meanGain", label: t("knowledgeTests.results.meanGain"), value: points(summary.meanGain) },
    { key: "normalisedGain", label: t("knowledgeTests.results.normalisedGain"), value: summary.normalisedGain === null ? "—" : formatNumber(Math.round(summary.normalisedGain * 100) / 100, locale) },
    { key: "improved", label: t("knowledgeTests.results.improved"), value: share(summary.improvedShare) },
  ];
  const chartData: PairedDatum[] = perQuestion.map((q) => ({
    key: String(q.id),
    label: t("knowledgeTests.results.questionShort", { number: n(q.number) }),
    fullLabel: q.prompt,
    pre: q.pre.share === null ? null : q.pre.share * 100,
    post: q.post.share === null ? null : q.post.share * 100,
    preDisplay: t("knowledgeTests.results.beforeValue", { value: share(q.pre.share) }),
    postDisplay: t("knowledgeTests.results.afterValue", { value: share(q.post.share) }),
  }));
  const meanData: PairedDatum[] =
    summary.paired > 0
      ? [
          {
            key: "mean",
            label: t("knowledgeTests.results.meanShort"),
            pre: summary.meanPre,
            post: summary.meanPost,
            preDisplay: t("knowledgeTests.results.beforeValue", { value: pct(summary.meanPre) }),
            postDisplay: t("knowledgeTests.results.afterValue", { value: pct(summary.meanPost) }),
          },
        ]
      : [];
  const describe = (d: PairedDatum) => t("knowledgeTests.results.chartLine", { label: d.fullLabel ?? d.label, before: d.preDisplay, after: d.postDisplay });
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to={back}>{t("knowledgeTests.backToTest")}</Link>
      </p>
      <div>
        <h2 className="text-xl font-semibold">{t("knowledgeTests.results.title")}</h2>
        <p className="max-w-prose text-sm text-slate-700">{t("knowledgeTests.results.intro")}</p>
      </div>
      {!hasQuestions ? (
        <EmptyState message={t("knowledgeTests.results.noTest")} />
      ) : (
        <>
          <Card title={t("knowledgeTests.results.eventTitle")}>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
              {figures.map((f) => (
                <div key={f.key}>
                  <dt className="text-sm text-slate-600">{f.label}</dt>
                  <dd className="text-2xl font-semibold tabular-nums" data-figure={f.key}>{f.value}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm text-slate-600">
              {t("knowledgeTests.results.taken", { pre: n(summary.preTaken), post: n(summary.postTaken) })}{" "}
              {summary.normalisedGain !== null ? t("knowledgeTests.results.normalisedHint", { count: summary.normalisedCount, formatted: n(summary.normalisedCount) }) : null}
            </p>
          </Card>

          <div className="grid gap-6 lg:grid-cols-2">
            <Card>
              <PairedBarChart title={t("knowledgeTests.results.meanChart")} data={meanData} dir={dir} describe={describe} empty={t("knowledgeTests.results.nonePaired")} />
            </Card>
            <Card>
              <PairedBarChart title={t("knowledgeTests.results.questionChart")} data={chartData} dir={dir} describe={describe} empty={t("knowledgeTests.results.noneYet")} />
            </Card>
          </div>

          <section aria-labelledby="per-question" className="space-y-2">
            <h3 id="per-question" className="text-lg font-semibold">{t("knowledgeTests.results.perQuestion")}</h3>
            <p className="text-sm text-slate-600">{t("knowledgeTests.results.perQuestionHint")}</p>
            <TableFrame label={t("knowledgeTests.results.perQuestion")}>
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <thead className="bg-slate-100">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.question")}</th>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.pre")}</th>
                    <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.post")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {perQuestion.map((q) => (
                    <tr key={q.id} className="align-top">
                      <td className="px-3 py-2">
                        <span className="font-medium">{n(q.number)}.</span> <bdi>{q.prompt}</bdi>
                      </td>
                      <td className="px-3 py-2 tabular-nums">
                        <div className="whitespace-nowrap">{share(q.pre.share)}</div>
                        {q.pre.answered > 0 ? <div className="whitespace-nowrap text-xs text-slate-600">{t("knowledgeTests.results.rightOf", { right: n(q.pre.right), answered: n(q.pre.answered) })}</div> : null}
                      </td>
                      <td className="px-3 py-2 tabular-nums">
                        <div className="whitespace-nowrap">{share(q.post.share)}</div>
                        {q.post.answered > 0 ? <div className="whitespace-nowrap text-xs text-slate-600">{t("knowledgeTests.results.rightOf", { right: n(q.post.right), answered: n(q.post.answered) })}</div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          </section>
        </>
      )}

      <section aria-labelledby="per-person" className="space-y-2">
        <h3 id="per-person" className="text-lg font-semibold">{t("knowledgeTests.results.perPerson")}</h3>
        {participantCount === 0 ? (
          <EmptyState message={t("knowledgeTests.results.noParticipants")} />
        ) : (
          <>
            {participantCount > RESULTS_SEARCH_FROM || q ? (
              <Form method="get" className="flex flex-wrap items-end gap-3" role="search">
                <div className="min-w-0 flex-1 sm:max-w-sm">
                  <label htmlFor="q" className="block text-sm font-medium">{t("knowledgeTests.results.search")}</label>
                  <input id="q" name="q" type="search" defaultValue={q} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
                </div>
                <Button variant="secondary">{t("knowledgeTests.results.searchButton")}</Button>
              </Form>
            ) : null}
            {matching === 0 ? (
              <EmptyState message={t("knowledgeTests.results.noMatch", { q })} />
            ) : (
              <>
                {pageCount > 1 || q ? (
                  <p className="text-sm text-slate-600">{t("knowledgeTests.results.showing", { first: n(firstRow), last: n(firstRow + people.length - 1), total: n(matching) })}</p>
                ) : null}
                <TableFrame label={t("knowledgeTests.results.perPerson")}>
                  <table className="min-w-full divide-y divide-slate-200 text-sm">
                    <thead className="sticky top-0 bg-slate-100">
                      <tr>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.name")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.pre")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.post")}</th>
                        <th scope="col" className="px-3 py-2 text-start font-semibold">{t("knowledgeTests.results.columns.gain")}</th>
                        {hasQuestions ? <th scope="col" className="hidden px-3 py-2 text-start font-semibold sm:table-cell"><span className="sr-only">{t("knowledgeTests.paper.title")}</span></th> : null}
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {people.map((p) => (
                        <tr key={p.registrationId}>
                          <td className="person-cell">
                            <bdi className="font-medium">{p.name}</bdi>
                            {p.organisationName ? <bdi className="block text-xs text-slate-600">{p.organisationName}</bdi> : null}
                            {/* on a phone the paper score's link goes under the name: the four figures then fit the width */}
                            {hasQuestions && paperable(p) ? <div className="mt-1 sm:hidden">{paperScoreLink(p)}</div> : null}
                          </td>
                          <td className="score-cell">
                            {pct(p.pre)}{p.preSource === "paper" ? <> <Badge tone="draft">{paperBadge}</Badge></> : null}
                          </td>
                          <td className="score-cell">
                            {pct(p.post)}{p.postSource === "paper" ? <> <Badge tone="draft">{paperBadge}</Badge></> : null}
                          </td>
                          <td className="score-cell">{points(p.gain)}</td>
                          {/* nothing to enter for someone who submitted both tests online */}
                          {hasQuestions ? <td className="wide-cell">{paperable(p) ? paperScoreLink(p) : null}</td> : null}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableFrame>
                <Pagination page={page} pageCount={pageCount} />
              </>
            )}
          </>
        )}
      </section>

      {hasQuestions && people.length > 0 ? (
        <section aria-labelledby="paper-title" id="paper">
          <Card>
            <h3 id="paper-title" className="mb-1 text-lg font-semibold">{t("knowledgeTests.paper.title")}</h3>
            <p className="mb-3 max-w-prose text-sm text-slate-600">{t("knowledgeTests.paper.intro")}</p>
            {saved ? <div className="mb-3"><Notice tone="success">{t("knowledgeTests.paper.saved")}</Notice></div> : null}
            {paperPeople.length === 0 ? (
              <p className="text-sm text-slate-600">{t("knowledgeTests.paper.nonePaperable")}</p>
            ) : (
              <Form method="post" className="max-w-xl space-y-4" noValidate key={chosen || "none"}>
                <ErrorSummary
                  errors={errors}
                  labels={{ registrationId: t("knowledgeTests.paper.person"), phase: t("knowledgeTests.paper.phase"), correct: t("knowledgeTests.paper.correct") }}
                />
                <SelectField
                  name="registrationId"
                  label={t("knowledgeTests.paper.person")}
                  required
                  placeholder={t("knowledgeTests.paper.choosePerson")}
                  hint={t("knowledgeTests.paper.pageHint")}
                  defaultValue={values.registrationId ?? chosen}
                  error={errors?.registrationId}
                  options={paperPeople.map((r) => ({ value: String(r.registrationId), label: r.name }))}
                />
                <SelectField
                  name="phase"
                  label={t("knowledgeTests.paper.phase")}
                  required
                  defaultValue={values.phase ?? "pre"}
                  error={errors?.phase}
                  options={TEST_PHASES.map((p) => ({ value: p, label: t(`knowledgeTests.phase.${p}`) }))}
                />
                <TextField
                  name="correct"
                  label={t("knowledgeTests.paper.correct")}
                  hint={t("knowledgeTests.paper.correctHint", { total: n(questionCount) })}
                  required
                  inputMode="numeric"
                  pattern="[0-9]*"
                  defaultValue={values.correct ?? ""}
                  error={errors?.correct}
                />
                <Button>{t("knowledgeTests.paper.save")}</Button>
              </Form>
            )}
          </Card>
        </section>
      ) : null}
    </div>
  );
}
