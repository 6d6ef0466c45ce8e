import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { requireUser } from "~/auth/session.server";
import { OverdueBadge, PlanStatusBadge } from "~/components/action-plans";
import { EventListCompact } from "~/components/event-list-compact";
import { LinkButton } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/page";
import { dayInZone, formatDay, formatNumber, formatTimeRange, zoneLabel } from "~/lib/format";
import { countText } from "~/lib/report-display";
import type { EventNeed } from "~/lib/needs";
import { countUsers } from "~/models/accounts.server";
import { homeFor } from "~/models/home.server";
import { pageTitle } from "~/lib/meta";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["actionPlans", "actionPlansOverview", "dashboard", "event", "eventStatus", "followUpStatus", "home", "registrationStatus", "reportPrivacy"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.home");

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await countUsers()) === 0) return redirect("/setup");
  const user = await requireUser(request);
  return { name: user.name, home: await homeFor(user) };
}

export default function Home() {
  const { name, home } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div>
      <PageHeader title={t("home.welcome", { name })} />
      {home.role === "admin" || home.role === "coordinator" ? <CoordinatorNeeds needs={home.needs} admin={home.role === "admin"} /> : null}
      {home.role === "admin" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={t("home.admin.accounts")}>
            <p className="text-sm">
              {t("home.admin.accountCounts", {
                total: formatNumber(home.users.total, locale),
                pending: formatNumber(home.users.pending, locale),
                disabled: formatNumber(home.users.disabled, locale),
              })}
            </p>
            <div className="mt-4">
              <LinkButton to="/admin/users">{t("home.admin.manageUsers")}</LinkButton>
            </div>
          </Card>
          <Card title={t("home.admin.email")}>
            <p className="text-sm">
              {t("home.admin.outboxCounts", {
                pending: formatNumber(home.outbox.pending ?? 0, locale),
                sent: formatNumber(home.outbox.sent ?? 0, locale),
                failed: formatNumber(home.outbox.failed ?? 0, locale),
              })}
            </p>
          </Card>
          <Card title={t("home.nextEvents")} className="md:col-span-2">
            <EventListCompact events={home.events} empty={t("home.noEvents")} />
          </Card>
        </div>
      ) : null}
      {home.role === "coordinator" ? (
        <Card title={t("home.nextEvents")}>
          <EventListCompact events={home.events} empty={t("home.noEvents")} />
          <p className="mt-4 text-sm">
            <Link to="/events">{t("home.allEvents")}</Link>
          </p>
        </Card>
      ) : null}
      {home.role === "facilitator" ? <FacilitatorSessions sessions={home.sessions} /> : null}
      {home.role === "participant" ? <ParticipantNow home={home} /> : null}
      {home.role === "participant" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={t("home.participant.myTrainings")}>
            <EventListCompact events={home.registrations} empty={t("home.participant.noTrainings")} />
          </Card>
          <Card title={t("home.participant.myPlans")}>
            {home.plans.length === 0 ? (
              <p className="text-sm text-slate-600">{t("home.participant.noPlans")}</p>
            ) : (
              <>
                <ul className="divide-y divide-slate-100 text-sm">
                  {home.plans.map((p) => (
                    <li key={p.id} className="py-2">
                      <Link to={p.url} className="font-medium">
                        <bdi>{p.title}</bdi>
                      </Link>{" "}
                      <PlanStatusBadge status={p.status} />
                      <div className="text-slate-600">
                        <bdi>{p.eventTitle}</bdi>
                      </div>
                      <div className="flex flex-wrap items-center gap-2">
                        <span>{t("actionPlansOverview.home.participantSummary", { open: formatNumber(p.open, locale), overdue: formatNumber(p.overdue, locale) })}</span>
                        {p.overdue > 0 ? <OverdueBadge /> : null}
                      </div>
                    </li>
                  ))}
                </ul>
                <p className="mt-3 text-sm">
                  <Link to="/action-plans">{t("actionPlansOverview.home.allMine")}</Link>
                </p>
              </>
            )}
          </Card>
          <Card title={t("home.participant.openForRegistration")} className="md:col-span-2">
            <EventListCompact events={home.open} empty={t("home.participant.noneOpen")} />
          </Card>
        </div>
      ) : null}
      {home.role === "partner" ? <PartnerNow home={home} /> : null}
      {home.role === "partner" ? (
        <div className="grid gap-6 md:grid-cols-2">
          <Card title={home.organisation ?? t("home.partner.noOrganisation")}>
            <p className="text-sm">{t("home.partner.officersTrained", { count: home.officersTrained, formatted: formatNumber(home.officersTrained, locale) })}</p>
          </Card>
          <Card title={t("home.partner.agencyEvents")}>
            <EventListCompact events={home.events} empty={t("home.noEvents")} />
          </Card>
          {home.actionPlans ? (
            <Card title={t("actionPlansOverview.home.partnerTitle")} className="md:col-span-2">
              <p className="text-sm">
                {t("actionPlansOverview.home.partnerSummary", {
                  plans: formatNumber(home.actionPlans.plans, locale),
                  awaiting: formatNumber(home.actionPlans.awaitingValidation, locale),
                  overdue: formatNumber(home.actionPlans.overdue, locale),
                })}
              </p>
              {home.actionPlans.toValidate.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600">{t("actionPlansOverview.home.nothingToValidate")}</p>
              ) : (
                <>
                  <h3 className="mt-3 text-sm font-semibold text-slate-800">{t("actionPlansOverview.home.toValidate")}</h3>
                  <ul className="divide-y divide-slate-100 text-sm">
                    {home.actionPlans.toValidate.map((p) => (
                      <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                        <span>
                          <Link to={p.url} className="font-medium">
                            <bdi>{p.title}</bdi>
                          </Link>
                          <span className="text-slate-600">
                            {" "}
                            · <bdi>{p.eventTitle}</bdi>
                          </span>
                        </span>
                        <span className="text-slate-700">{t("actionPlansOverview.awaiting", { count: p.awaitingValidation, formatted: formatNumber(p.awaitingValidation, locale) })}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <p className="mt-3 text-sm">
                <Link to="/action-plans">{t("actionPlansOverview.home.allAgency")}</Link>
              </p>
            </Card>
          ) : null}
        </div>
      ) : null}
      {home.role === "donor" ? <DonorProgrammes organisation={home.organisation} programmes={home.programmes} /> : null}
    </div>
  );
}

type HomeData = ReturnType<typeof useLoaderData<typeof loader>>["home"];
type Of<R extends HomeData["role"]> = Extract<HomeData, { role: R }>;

/** One count that links to the list of exactly what it counts; a zero is shown quietly, without a link. */
function NeedTile({ count, label, to, detail, testId }: { count: number; label: string; to?: string; detail?: ReactNode; testId: string }) {
  const { i18n } = useTranslation();
  const body = (
    <>
      <span className={`block text-3xl font-bold tabular-nums ${count > 0 ? "text-brand-800" : "text-slate-500"}`} data-count="">
        {formatNumber(count, i18n.language)}
      </span>
      <span className="mt-1 block text-sm font-medium text-slate-800">{label}</span>
      {detail ? <span className="mt-1 block text-xs text-slate-600">{detail}</span> : null}
    </>
  );
  const box = "block h-full rounded-lg border p-4";
  return (
    <li data-testid={testId}>
      {count > 0 && to ? (
        <Link to={to} className={`${box} border-brand-100 bg-brand-50 no-underline hover:border-brand-600 focus-visible:outline focus-visible:outline-2`}>
          {body}
        </Link>
      ) : (
        <div className={`${box} border-slate-200 bg-white`}>{body}</div>
      )}
    </li>
  );
}

const needUrl = (need: EventNeed) => `/events?needs=${need}`;

function CoordinatorNeeds({ needs, admin }: { needs: Of<"coordinator">["needs"]; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <section aria-labelledby="needs-title" className="mb-6">
      <h2 id="needs-title" className="mb-3 text-lg font-semibold text-slate-900">
        {t("dashboard.needsTitle")}
      </h2>
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <NeedTile
          testId="need-approvals"
          count={needs.events.approvals}
          label={t("dashboard.approvals")}
          to={needUrl("approvals")}
          detail={needs.waitingPeople > 0 ? t("dashboard.peopleWaiting", { count: needs.waitingPeople, formatted: n(needs.waitingPeople) }) : undefined}
        />
        <NeedTile testId="need-follow-ups" count={needs.followUpsToTriage} label={t("dashboard.followUps")} to="/follow-ups?status=received" />
        <NeedTile testId="need-plans" count={needs.events.plansToReview} label={t("dashboard.plansToReview")} to={needUrl("plansToReview")} />
        <NeedTile testId="need-certificates" count={needs.events.certificates} label={t("dashboard.certificates")} to={needUrl("certificates")} />
        <NeedTile testId="need-check-ins" count={needs.events.checkIns} label={t("dashboard.checkIns")} to={needUrl("checkIns")} />
        <NeedTile
          testId="need-emails"
          count={needs.failedEmails}
          label={t("dashboard.failedEmails")}
          to={admin ? "/admin/outbox?status=failed" : undefined}
          detail={!admin && needs.failedEmails > 0 ? t("dashboard.failedEmailsHint") : undefined}
        />
        <NeedTile testId="need-no-facilitator" count={needs.events.noFacilitator} label={t("dashboard.noFacilitator")} to={needUrl("noFacilitator")} />
        <NeedTile
          testId="need-few-registrations"
          count={needs.events.fewRegistrations}
          label={t("dashboard.fewRegistrations")}
          to={needUrl("fewRegistrations")}
          detail={t("dashboard.fewRegistrationsHint")}
        />
      </ul>
    </section>
  );
}

type FacilitatorSession = Of<"facilitator">["sessions"]["today"][number];

/** One session: one tap opens its attendance. */
/** A titled list of a facilitator's sessions (nothing when there are none). */
function SessionList({ name, title, sessions }: { name: "next" | "earlier"; title: string; sessions: FacilitatorSession[] }) {
  if (sessions.length === 0) return null;
  return (
    <section aria-labelledby={`${name}-title`} data-testid={`sessions-${name}`}>
      <h2 id={`${name}-title`} className="mb-2 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <ul className="space-y-2">
        {sessions.map((s) => (
          <SessionLink key={s.id} s={s} showDay />
        ))}
      </ul>
    </section>
  );
}

function SessionLink({ s, showDay }: { s: FacilitatorSession; showDay: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const when = formatTimeRange(new Date(s.startsAt), new Date(s.endsAt), s.timeZone, locale);
  return (
    <li>
      <Link
        to={s.attendanceUrl}
        className="block rounded-lg border border-slate-200 bg-white p-3 no-underline hover:border-brand-600 focus-visible:outline focus-visible:outline-2"
      >
        <span className="block font-semibold text-brand-800">
          <bdi>{s.title}</bdi>
        </span>
        <span className="block text-sm text-slate-700">
          {showDay ? `${formatDay(dayInZone(new Date(s.startsAt), s.timeZone), locale)} · ` : ""}
          <span className="tabular-nums">{when}</span> {zoneLabel(s.timeZone, new Date(s.startsAt), locale)}
          {s.room ? <> · <bdi>{s.room}</bdi></> : null}
        </span>
        <span className="block text-sm text-slate-600">
          <bdi>{s.eventTitle}</bdi>
        </span>
        <span className="mt-1 block text-sm font-medium text-brand-700">
          {s.started ? t("dashboard.facilitator.takeAttendance") : t("dashboard.facilitator.notStarted")}
        </span>
      </Link>
    </li>
  );
}

function FacilitatorSessions({ sessions }: { sessions: Of<"facilitator">["sessions"] }) {
  const { t } = useTranslation();
  const empty = sessions.today.length === 0 && sessions.next.length === 0 && sessions.earlier.length === 0;
  if (empty) return <Card title={t("home.facilitator.sessions")}><p className="text-sm text-slate-600">{t("home.facilitator.none")}</p></Card>;
  return (
    <div className="space-y-6">
      <section aria-labelledby="today-title" data-testid="sessions-today">
        <h2 id="today-title" className="mb-2 text-lg font-semibold text-slate-900">
          {t("dashboard.facilitator.today")}
        </h2>
        {sessions.today.length === 0 ? (
          <p className="text-sm text-slate-600">{t("dashboard.facilitator.noneToday")}</p>
        ) : (
          <ul className="space-y-2">
            {sessions.today.map((s) => (
              <SessionLink key={s.id} s={s} showDay={false} />
            ))}
          </ul>
        )}
      </section>
      <SessionList name="next" title={t("dashboard.facilitator.next")} sessions={sessions.next} />
      <SessionList name="earlier" title={t("dashboard.facilitator.earlier")} sessions={sessions.earlier} />
    </div>
  );
}

function ParticipantNow({ home }: { home: Of<"participant"> }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const forms = home.plansToWrite.length + home.draftPlans.length;
  return (
    <div className="mb-6 grid gap-6 md:grid-cols-3">
      <Card title={t("dashboard.participant.nextTraining")}>
        {home.next ? (
          <div data-testid="next-training">
            <Link to={`/events/${home.next.id}`} className="font-medium">
              <bdi>{home.next.title}</bdi>
            </Link>
            <p className="text-sm text-slate-600">{formatDay(home.next.startDate, locale)}{home.next.endDate !== home.next.startDate ? ` – ${formatDay(home.next.endDate, locale)}` : ""}</p>
            <p className="text-sm text-slate-700">{t(`registrationStatus.${home.next.registrationStatus}` as "registrationStatus.confirmed")}</p>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t("dashboard.participant.noNext")}</p>
        )}
      </Card>
      <Card title={t("dashboard.participant.formsToFill")}>
        {forms === 0 ? (
          <p className="text-sm text-slate-600">{t("dashboard.participant.noForms")}</p>
        ) : (
          <ul className="space-y-2 text-sm" data-testid="forms-to-fill">
            {home.plansToWrite.map((p) => (
              <li key={`write-${p.eventId}`}>
                <Link to={p.url} className="font-medium">{t("dashboard.participant.writePlan")}</Link>
                <div className="text-slate-600"><bdi>{p.eventTitle}</bdi></div>
              </li>
            ))}
            {home.draftPlans.map((p) => (
              <li key={`draft-${p.id}`}>
                <Link to={p.url} className="font-medium">{t("dashboard.participant.finishPlan")}</Link>
                <div className="text-slate-600"><bdi>{p.title}</bdi> · <bdi>{p.eventTitle}</bdi></div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("dashboard.participant.checkInsDue")}>
        {home.checkInsDue.length === 0 ? (
          <p className="text-sm text-slate-600">{t("dashboard.participant.noCheckIns")}</p>
        ) : (
          <ul className="space-y-2 text-sm" data-testid="check-ins-due">
            {home.checkInsDue.map((p) => (
              <li key={p.id}>
                <Link to={p.url} className="font-medium"><bdi>{p.title}</bdi></Link>
                <div className="text-slate-600">{t("dashboard.participant.checkInHint")}</div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function PartnerNow({ home }: { home: Of<"partner"> }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <section aria-labelledby="needs-title" className="mb-6">
      <h2 id="needs-title" className="mb-3 text-lg font-semibold text-slate-900">
        {t("dashboard.needsTitle")}
      </h2>
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <NeedTile testId="need-validation" count={home.actionPlans?.awaitingValidation ?? 0} label={t("dashboard.partner.awaitingValidation")} to="/action-plans" />
        <NeedTile testId="need-nomination" count={home.openForNomination} label={t("dashboard.partner.openForNomination")} to="/events?status=open" />
      </ul>
      <Card title={t("dashboard.partner.requests")} className="mt-4">
        {home.requests.length === 0 ? (
          <p className="text-sm text-slate-600">{t("dashboard.partner.noRequests")}</p>
        ) : (
          <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm" data-testid="request-statuses">
            {home.requests.map((r) => (
              <li key={r.status}>
                <Link to={`/follow-ups?status=${r.status}`}>
                  {t(`followUpStatus.${r.status}` as "followUpStatus.received")}: <span className="tabular-nums">{formatNumber(r.n, locale)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-3 text-sm">
          <Link to="/follow-ups/new">{t("dashboard.partner.newRequest")}</Link>
        </p>
      </Card>
    </section>
  );
}

function DonorProgrammes({ organisation, programmes }: { organisation: string | null; programmes: Of<"donor">["programmes"] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <Card title={t("home.donor.programmes", { organisation: organisation ?? "" })}>
      {programmes.length === 0 ? (
        <p className="text-sm text-slate-600">{t("home.donor.none")}</p>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-600" data-testid="figures-protected">
            {t("event.protectedNote")}
          </p>
          <ul className="space-y-4">
            {programmes.map((p) => (
              <li key={p.id} data-testid="donor-programme">
                <h3 className="font-semibold text-slate-900">
                  <bdi>{p.name}</bdi>
                </h3>
                <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
                  {(
                    [
                      ["events", formatNumber(p.events, locale)],
                      ["people", countText(p.people, t, locale)],
                      ["certificates", countText(p.certificates, t, locale)],
                      ["plans", countText(p.plansSubmitted, t, locale)],
                    ] as const
                  ).map(([key, value]) => (
                    <div key={key} className="rounded-md border border-slate-200 p-3">
                      <dt className="text-xs text-slate-600">{t(`dashboard.donor.${key}`)}</dt>
                      <dd className="text-2xl font-bold tabular-nums" data-figure={key}>
                        {value}
                      </dd>
                    </div>
                  ))}
                </dl>
                <p className="mt-2 text-sm">
                  <Link to={`/reports?programmeId=${p.id}`}>{t("dashboard.donor.report")}</Link>
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
