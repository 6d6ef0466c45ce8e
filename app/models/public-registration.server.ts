import { and, eq, lt } from "drizzle-orm";
import { getDb, type Tx, firstRow } from "../../db/client";
import { consents, events, organisations, people, registrationRequests, registrations, users } from "../../db/schema";
import { registrationConfirmationEmail } from "@emails/registration";
import { mayEmailRegistrationConfirmation } from "~/auth/rate-limit.server";
import { notFound, type Actor } from "~/auth/session.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { translatorFor } from "~/i18n.server";
import { now, nowMs } from "~/lib/clock";
import type { Locale, RegistrationStatus } from "~/lib/domain";
import { countryName, formatDayRange } from "~/lib/format";
import type { PersonInput } from "~/lib/schemas/people";
import { inviteParticipantInTransaction } from "./accounts.server";
import { recordAudit } from "./audit.server";
import { emitWebhookEvent, webhookEvent } from "./webhook-events.server";
import { FieldError } from "./field-error.server";
import { FILLABLE_FIELDS, personColumns } from "./people.server";
import { enqueueEmail } from "./outbox.server";
import { timetableForEmail } from "./reminders.server";
import { ACTIVE_REGISTRATION_STATUSES, notifyRegistration, registrationOpen, seatsLeft } from "./registrations.server";

/**
 * Registering through the public page (/events/:id/register). A stranger can type anything there,
 * so an anonymous registration never attaches to, reveals or changes an existing person or
 * account: an email Convene already knows only gets a link to confirm, and matching by name links
 * nothing (a new person is created; the likely duplicate shows on the people pages for a human to
 * merge). A signed-in user registers as themselves.
 */

export type PublicRegistrationInput = PersonInput & { consent: true; locale: Locale };
export type RegistrationOutcome = { registrationId: number; status: RegistrationStatus; alreadyRegistered: boolean };
/** What an anonymous registration did. The page says the same words for both. */
export type AnonymousRegistrationResult = ({ kind: "registered" } & RegistrationOutcome) | { kind: "confirmationRequested" };

/** How long a confirmation link works. */
export const REGISTRATION_REQUEST_VALID_MS = 3 * 24 * 3600_000;

type EventRow = typeof events.$inferSelect;
type Context = { appUrl: string; ip: string | null };

async function openEvent(tx: Pick<Tx, "select">, eventId: number): Promise<EventRow> {
  const event = firstRow(await tx.select().from(events).where(eq(events.id, eventId)).limit(1));
  if (!event) throw notFound();
  const window = registrationOpen(event);
  if (!window.open) throw new FieldError("form", `registration.errors.${window.reason}`);
  return event;
}

/** A participant's organisation: one that exists and is not a donor. */
async function checkOrganisation(tx: Pick<Tx, "select">, organisationId: number | null) {
  if (organisationId === null) return;
  const found = firstRow(await tx.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, organisationId)).limit(1));
  if (!found || found.kind === "donor") throw new FieldError("organisationId", "errors.choice");
}

/** What a registration may add to a person's record: their details but the names and the email. */
const FILLABLE = FILLABLE_FIELDS.filter((f): f is Exclude<(typeof FILLABLE_FIELDS)[number], "email"> => f !== "email");

function consentWording(event: EventRow, locale: Locale) {
  return event.consentText || translatorFor(locale).t("registration.defaultConsent");
}

/**
 * The registration itself, once the person is known for sure: confirmed, waitlisted (event full)
 * or applied (approval step), or the registration they already hold. Records the consent, invites
 * a person without an account (to `inviteTo`, an address proven or new), queues the email, audits.
 */
async function enrol(
  tx: Tx,
  event: EventRow,
  personId: number,
  options: Context & { userId: string | null; consent: string; inviteTo: { email: string; locale: Locale } | null; source: string },
): Promise<RegistrationOutcome> {
  const existing = firstRow(await tx
    .select({ id: registrations.id, status: registrations.status })
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), eq(registrations.personId, personId))).limit(1));
  if (existing && ACTIVE_REGISTRATION_STATUSES.includes(existing.status)) {
    return { registrationId: existing.id, status: existing.status, alreadyRegistered: true };
  }
  const left = await seatsLeft(tx, event);
  const status: RegistrationStatus = event.requiresApproval ? "applied" : left === null || left > 0 ? "confirmed" : "waitlisted";
  let registrationId: number;
  if (existing) {
    await tx.update(registrations).set({ status, statusChangedAt: now(), eventRole: "participant" }).where(eq(registrations.id, existing.id));
    registrationId = existing.id;
    await emitWebhookEvent(tx, webhookEvent.registrationStatusChanged({ registrationId, eventId: event.id, personId, from: existing.status, to: status }));
  } else {
    registrationId = (await tx
      .insert(registrations)
      .values({ eventId: event.id, personId, eventRole: "participant", status, statusChangedAt: now() })
      .returning({ id: registrations.id }))[0].id;
    await emitWebhookEvent(tx, webhookEvent.registrationCreated({ registrationId, eventId: event.id, personId, status, eventRole: "participant", source: "public" }));
  }
  await tx.insert(consents).values({ personId, eventId: event.id, wording: options.consent, givenAt: now() });
  const person = firstRow(await tx.select().from(people).where(eq(people.id, personId)).limit(1))!;
  if (options.inviteTo && !person.userId) {
    const account = await inviteParticipantInTransaction(
      tx,
      {
        email: options.inviteTo.email,
        name: `${person.givenName} ${person.familyName}`,
        organisationId: person.organisationId,
        locale: options.inviteTo.locale,
        invitedBy: "Convene",
      },
      options.appUrl,
    );
    const holder = firstRow(await tx.select({ id: people.id }).from(people).where(eq(people.userId, account.userId)).limit(1));
    const role = firstRow(await tx.select({ role: users.role }).from(users).where(eq(users.id, account.userId)).limit(1))?.role;
    if (!holder && role === "participant") await tx.update(people).set({ userId: account.userId }).where(eq(people.id, personId));
  }
  await notifyRegistration(tx, status === "applied" ? "received" : status === "waitlisted" ? "waitlisted" : "confirmed", registrationId, options.appUrl);
  await recordAudit(tx, {
    userId: options.userId,
    ip: options.ip,
    action: "registration.create",
    entityType: "registration",
    entityId: registrationId,
    details: { eventId: event.id, status, source: options.source },
  });
  return { registrationId, status, alreadyRegistered: false };
}

/** Is this address already someone's, as a person's email or an account's? */
async function emailKnown(tx: Pick<Tx, "select">, email: string) {
  return Boolean(
    firstRow(await tx.select({ id: people.id }).from(people).where(eq(people.email, email)).limit(1)) ??
      firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)),
  );
}

/**
 * An anonymous registration, in one IMMEDIATE transaction (so the count of confirmed seats cannot
 * change between the check and the insert, even under many simultaneous registrations or several
 * server processes). An unknown email: a new person, registered at once and invited to an
 * account. A known email: nothing but a confirmation link sent to that address (at most 5 an hour
 * to one address; past that nothing is sent, and the caller cannot tell).
 */
export async function registerForEvent(eventId: number, input: PublicRegistrationInput, context: Context): Promise<AnonymousRegistrationResult> {
  const details = personColumns(input);
  const email = details.email;
  if (!email) throw new FieldError("email", "errors.required");
  return await getDb().transaction(
    async (tx) => {
      const event = await openEvent(tx, eventId);
      await checkOrganisation(tx, details.organisationId);
      if ((await emailKnown(tx, email))) {
        await requestConfirmation(tx, event, details, input.locale, context);
        return { kind: "confirmationRequested" as const };
      }
      const personId = (await tx.insert(people).values(details).returning({ id: people.id }))[0].id;
      const outcome = await enrol(tx, event, personId, {
        ...context,
        userId: null,
        consent: consentWording(event, input.locale),
        inviteTo: { email, locale: input.locale },
        source: "public",
      });
      return { kind: "registered" as const, ...outcome };
    },
    { behavior: "immediate" },
  );
}

async function requestConfirmation(tx: Tx, event: EventRow, details: PersonInput, locale: Locale, context: Context) {
  const email = details.email!;
  await tx.delete(registrationRequests).where(lt(registrationRequests.expiresAt, now()));
  if (!(await mayEmailRegistrationConfirmation(email))) return;
  const token = generateToken();
  const request = (await tx
    .insert(registrationRequests)
    .values({
      tokenHash: hashToken(token),
      eventId: event.id,
      email,
      details: JSON.stringify(details),
      locale,
      consentWording: consentWording(event, locale),
      expiresAt: new Date(nowMs() + REGISTRATION_REQUEST_VALID_MS),
    })
    .returning({ id: registrationRequests.id }))[0];
  // the reader's own language when they have an account, else the one the form was filled in
  const account = firstRow(await tx.select({ id: users.id, locale: users.locale }).from(users).where(eq(users.email, email)).limit(1));
  const { t, lang, dir } = translatorFor(account?.locale ?? locale);
  const content = registrationConfirmationEmail(
    {
      name: `${details.givenName} ${details.familyName}`,
      eventTitle: event.title,
      dates: formatDayRange(event.startDate, event.endDate, lang),
      place: [event.locality, countryName(event.country, lang)].filter(Boolean).join(", "),
      url: `${context.appUrl}/registrations/confirm/${token}`,
      validFor: t("email.threeDays"),
    },
    t,
    { lang, dir },
  );
  await enqueueEmail(tx, { ...content, kind: "registration_confirm_request", to: email, userId: account?.id ?? null });
  await recordAudit(tx, { userId: null, ip: context.ip, action: "registration.request", entityType: "event", entityId: event.id, details: { requestId: request.id } });
}

type RequestRow = typeof registrationRequests.$inferSelect;

async function findRequest(tx: Pick<Tx, "select">, token: string): Promise<RequestRow | null> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const row = firstRow(await tx.select().from(registrationRequests).where(eq(registrationRequests.tokenHash, hashToken(token))).limit(1));
  if (!row || row.confirmedAt || row.expiresAt.getTime() <= nowMs()) return null;
  return row;
}

/** What the confirmation page shows for a link: the event and the name typed, or null when the link no longer works. */
export async function registrationRequestFor(token: string) {
  const db = getDb();
  const row = await findRequest(db, token);
  if (!row) return null;
  const event = firstRow(await db
    .select({ id: events.id, title: events.title, startDate: events.startDate, endDate: events.endDate, locality: events.locality, country: events.country })
    .from(events)
    .where(eq(events.id, row.eventId)).limit(1));
  if (!event) return null;
  const details = JSON.parse(row.details) as PersonInput;
  const organisation = details.organisationId
    ? (firstRow(await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, details.organisationId)).limit(1))?.name ?? null)
    : null;
  // what confirming would add to the record where it has nothing yet: the reader sees it first
  const typed = {
    phone: details.phone ?? null,
    sex: details.sex ?? null,
    organisation,
    position: details.position ?? null,
    roleCategory: details.roleCategory ?? null,
    nationality: details.nationality ?? null,
    dietaryNeeds: details.dietaryNeeds ?? null,
    accessibilityNeeds: details.accessibilityNeeds ?? null,
  };
  return { event, name: `${details.givenName} ${details.familyName}`, typed };
}

/**
 * The owner of the address clicked the link and confirmed: register the person who has that email
 * (or the person of the account with it, or a new person), filling only their empty fields from
 * what was typed, and invite them to an account if they have none. The link works once.
 */
export async function confirmRegistrationRequest(token: string, context: Context): Promise<RegistrationOutcome & { eventId: number }> {
  return await getDb().transaction(
    async (tx) => {
      const row = await findRequest(tx, token);
      if (!row) throw new FieldError("form", "registration.confirm.invalid");
      const event = await openEvent(tx, row.eventId);
      const details = JSON.parse(row.details) as PersonInput;
      const account = firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, row.email)).limit(1));
      const person =
        firstRow(await tx.select().from(people).where(eq(people.email, row.email)).limit(1)) ??
        (account ? firstRow(await tx.select().from(people).where(eq(people.userId, account.id)).limit(1)) : undefined);
      let personId: number;
      if (person) {
        personId = person.id;
        const fill: Partial<typeof people.$inferInsert> = {};
        for (const key of FILLABLE) {
          const value = details[key] ?? null;
          if (person[key] === null && value !== null) (fill as Record<string, unknown>)[key] = value;
        }
        if (fill.organisationId !== undefined) {
          // the organisation may have become a donor or gone since the form was sent
          const org = firstRow(await tx.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, fill.organisationId!)).limit(1));
          if (!org || org.kind === "donor") delete fill.organisationId;
        }
        if (Object.keys(fill).length > 0) await tx.update(people).set(fill).where(eq(people.id, personId));
      } else {
        const org = details.organisationId === null ? null : firstRow(await tx.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, details.organisationId)).limit(1));
        const organisationId = org && org.kind !== "donor" ? details.organisationId : null;
        personId = (await tx.insert(people).values({ ...details, organisationId, email: row.email }).returning({ id: people.id }))[0].id;
      }
      const outcome = await enrol(tx, event, personId, {
        ...context,
        userId: null,
        consent: row.consentWording,
        inviteTo: { email: row.email, locale: row.locale as Locale },
        source: "public-confirmed",
      });
      // the typed details are no longer needed once applied
      await tx.update(registrationRequests).set({ confirmedAt: now(), details: "{}" }).where(eq(registrationRequests.id, row.id));
      return { ...outcome, eventId: event.id };
    },
    { behavior: "immediate" },
  );
}

/** The signed-in user's own details, to fill in the registration form. */
export async function ownRegistrationDetails(actor: Actor) {
  const person = await ownPerson(getDb(), actor);
  const org = person?.organisationId
    ? firstRow(await getDb().select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, person.organisationId)).limit(1))
    : undefined;
  const values: Record<string, string> = { email: actor.user.email };
  if (person) {
    for (const key of ["givenName", "familyName", ...FILLABLE] as const) {
      const value = person[key];
      if (value !== null && value !== undefined) values[key] = String(value);
    }
  } else {
    const [givenName, ...rest] = actor.user.name.split(" ");
    values.givenName = givenName ?? "";
    values.familyName = rest.join(" ");
  }
  return { values, organisation: org ?? null };
}

/** The person a signed-in user is: the one linked to the account, else the one with its email and no account. */
async function ownPerson(tx: Pick<Tx, "select">, actor: Actor) {
  return (
    firstRow(await tx.select().from(people).where(eq(people.userId, actor.user.id)).limit(1)) ??
    firstRow(await tx.select().from(people).where(eq(people.email, actor.user.email.toLowerCase())).limit(1)) ??
    null
  );
}

/**
 * A signed-in user registers as themselves: their own person record (created with the account's
 * email if they have none), updated with the details they gave on the form (fields left empty keep
 * their value), never another person's; the email stays the account's.
 */
export async function registerAsSelf(actor: Actor, eventId: number, input: PublicRegistrationInput, appUrl: string): Promise<RegistrationOutcome> {
  const details = personColumns(input);
  return await getDb().transaction(
    async (tx) => {
      const event = await openEvent(tx, eventId);
      await checkOrganisation(tx, details.organisationId);
      const email = actor.user.email.toLowerCase();
      const found = await ownPerson(tx, actor);
      // a person with the account's email but linked to another account is not this user
      const mine = found && (found.userId === null || found.userId === actor.user.id) ? found : null;
      let personId: number;
      const emailFree = !firstRow(await tx.select({ id: people.id }).from(people).where(eq(people.email, email)).limit(1));
      if (mine) {
        personId = mine.id;
        // what they left empty on the form stays as it was (a field cleared by mistake loses nothing)
        const update: Partial<typeof people.$inferInsert> = { givenName: details.givenName, familyName: details.familyName };
        for (const key of FILLABLE) if (details[key] !== null) (update as Record<string, unknown>)[key] = details[key];
        if (mine.email === null && emailFree) update.email = email;
        await tx.update(people).set(update).where(eq(people.id, personId));
      } else {
        personId = (await tx.insert(people).values({ ...details, email: emailFree ? email : null }).returning({ id: people.id }))[0].id;
      }
      if (actor.user.role === "participant" && !firstRow(await tx.select({ id: people.id }).from(people).where(eq(people.userId, actor.user.id)).limit(1))) {
        await tx.update(people).set({ userId: actor.user.id }).where(eq(people.id, personId));
      }
      return await enrol(tx, event, personId, {
        appUrl,
        ip: actor.ip,
        userId: actor.user.id,
        consent: consentWording(event, input.locale),
        inviteTo: null,
        source: "public-signed-in",
      });
    },
    { behavior: "immediate" },
  );
}

/** The timetable shown on the public registration page (call only for an event that page may show). */
export async function publicTimetable(eventId: number, lang: string) {
  return await timetableForEmail(getDb(), eventId, lang);
}
