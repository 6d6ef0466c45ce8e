import { and, asc, eq, inArray, isNull, like } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, firstRow } from "../../db/client";
import { attendance, auditLog, certificates, emailOutbox, eventPartners, events, eventSessions, people, registrations, users } from "../../db/schema";
import { DEMO_EVENTS, DEMO_ORGANISATIONS, seedDemo } from "../../db/seed/demo";
import type { Actor, SessionUser } from "~/auth/session.server";
import { completionSql, REGISTRATION_REFS } from "~/models/completion.server";
import { CERTIFICATE_CODE_ALPHABET, issueCertificates, myCertificates } from "~/models/certificates.server";
import { FieldError } from "~/models/field-error.server";
import * as tab from "~/routes/events.$eventId.certificates";
import * as verification from "~/routes/certificates.$code";
import * as download from "~/routes/me.certificates.$certificateId[.]pdf";
import { call, createOrganisation, createUser, makeRequest, sessionCookie, unwrap } from "../setup/helpers";
import { readPdf } from "../setup/read-pdf";
import { zonedToUtc } from "~/lib/zoned";

const TODAY = new Date("2026-11-22T12:00:00Z");

const db = () => getDb();
const cookies: Record<string, string> = {};
let victimId: number;
let followUpId: number;
let coordinator: SessionUser;
/** Registration ids of the victim-identification training, by the person's full name. */
const reg: Record<string, number> = {};
/** A participant account linked to Dario Knowles (completed), in Arabic; one linked to Latoya Ferguson (completed), no language chosen. */
let arabicCookie: string;
let latoyaCookie: string;

async function userByEmail(email: string) {
  return firstRow(await db().select().from(users).where(eq(users.email, email)).limit(1))!;
}

async function cookieFor(email: string) {
  const u = await userByEmail(email);
  return await sessionCookie({ id: u.id, role: u.role });
}

/** Participants of the event who completed it, by THE definition (completionSql). */
async function completedRegistrationIds(eventId: number) {
  const completion = completionSql(REGISTRATION_REFS);
  return (await db()
    .select({ id: registrations.id, completed: completion.completed })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(and(eq(registrations.eventId, eventId), eq(registrations.eventRole, "participant"), eq(registrations.status, "confirmed"))))
    .filter((r) => r.completed === 1)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

async function certificateOf(registrationId: number) {
  return firstRow(await db().select().from(certificates).where(eq(certificates.registrationId, registrationId)).limit(1));
}

async function certificateEmails(to?: string) {
  return await db()
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.kind, "certificate_issued"), to ? eq(emailOutbox.toAddress, to) : undefined))
    .orderBy(asc(emailOutbox.id));
}

async function linkAccount(given: string, family: string, locale: string | null) {
  const account = await createUser({ role: "participant" });
  await db().update(users).set({ locale }).where(eq(users.id, account.id));
  await db().update(people).set({ userId: account.id }).where(and(eq(people.givenName, given), eq(people.familyName, family)));
  return await sessionCookie(account);
}

beforeAll(async () => {
  await seedDemo(db(), { today: TODAY });
  // the demo comes with its certificates issued; these tests issue them themselves
  await db().delete(certificates);
  for (const role of ["admin", "coordinator", "facilitator", "participant", "partner", "donor"]) cookies[role] = await cookieFor(`${role}@example.org`);
  const c = await userByEmail("coordinator@example.org");
  coordinator = { id: c.id, email: c.email, name: c.name, role: c.role, organisationId: c.organisationId, locale: c.locale };
  victimId = firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.victimIdentification)).limit(1))!.id;
  followUpId = firstRow(await db().select().from(events).where(eq(events.title, DEMO_EVENTS.followUp)).limit(1))!.id;
  for (const r of (await db()
    .select({ id: registrations.id, given: people.givenName, family: people.familyName })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(and(eq(registrations.eventId, victimId), eq(registrations.eventRole, "participant"))))) {
    reg[`${r.given} ${r.family}`] = r.id;
  }
  // participant@example.org reads Convene in French: her email and certificate follow
  await db().update(users).set({ locale: "fr" }).where(eq(users.email, "participant@example.org"));
  arabicCookie = await linkAccount("Dario", "Knowles", "ar");
  latoyaCookie = await linkAccount("Latoya", "Ferguson", null);
});

const tabUrl = (eventId: number) => `/events/${eventId}/certificates`;
const getTab = async (cookie: string, eventId = victimId, query = "") =>
  await call(tab.loader, makeRequest(`${tabUrl(eventId)}${query}`, { cookie }), { eventId: String(eventId) });
const post = async (form: Record<string, string | string[]>, eventId = victimId, cookie = cookies.coordinator) =>
  await call(tab.action, makeRequest(tabUrl(eventId), { cookie, form }), { eventId: String(eventId) });
const verify = async (code: string) => await call(verification.loader, makeRequest(`/certificates/${encodeURIComponent(code)}`), { code });
const getPdf = async (certificateId: number, cookie: string) =>
  (await call(download.loader, makeRequest(`/me/certificates/${certificateId}.pdf`, { cookie }), { certificateId: String(certificateId) })) as Response;

async function pdfOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return readPdf(bytes);
}

const CODE = new RegExp(`^[${CERTIFICATE_CODE_ALPHABET}]{10,}$`);
/**
 * Below the 80% threshold in the demo: 6 of 8 sessions each. (Giselle Thompson, seeded among the
 * "failing", was excused from one session and attended 6 of the 7 that count for her: she completed.)
 */
const FAILED = ["Jamal Strachan", "Lamont Butler"];

describe("certificates of completion", () => {
  it("uses codes from an alphabet without 0, O, 1 or I, long enough for 50 random bits", () => {
    expect(CERTIFICATE_CODE_ALPHABET).not.toMatch(/[0O1I]/);
    expect(new Set(CERTIFICATE_CODE_ALPHABET).size).toBe(CERTIFICATE_CODE_ALPHABET.length);
  });

  it("lists the confirmed participants on the tab with attendance, completion and certificate state — for admins and coordinators only", async () => {
    const { status, data } = unwrap(await getTab(cookies.coordinator));
    expect(status).toBe(200);
    expect(data.canIssue).toBe(true);
    expect(data.rows).toHaveLength(22);
    const shavonne = data.rows.find((r: { name: string }) => r.name === "Shavonne Rolle");
    expect(shavonne).toMatchObject({ attended: 8, counted: 8, rate: 100, completed: true, certificate: null });
    for (const name of FAILED) expect(data.rows.find((r: { name: string }) => r.name === name)).toMatchObject({ attended: 6, counted: 8, rate: 75, completed: false });
    expect(data.rows.find((r: { name: string }) => r.name === "Giselle Thompson")).toMatchObject({ attended: 6, counted: 7, rate: 86, completed: true });
    expect(data.rows.filter((r: { completed: boolean }) => r.completed).length).toBe((await completedRegistrationIds(victimId)).length);
    expect(unwrap(await getTab(cookies.admin)).status).toBe(200);

    for (const role of ["partner", "donor", "facilitator", "participant"]) {
      const denied = await getTab(cookies[role]);
      expect(denied).toBeInstanceOf(Response);
      expect([403, 404]).toContain((denied as Response).status);
      const posted = await post({ intent: "issue-all" }, victimId, cookies[role]);
      expect([403, 404]).toContain((posted as Response).status);
    }
    const anonymous = (await getTab("")) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await db().select().from(certificates)).toHaveLength(0);
  });

  it("refuses, naming them, to issue to someone who did not complete — and then issues nothing, not even to the others asked for", async () => {
    const result = unwrap(await post({ intent: "issue-selected", registrationIds: [String(reg["Shavonne Rolle"]), String(reg["Jamal Strachan"])] }));
    expect(result.status).toBe(400);
    expect(result.data.error).toBe("certificates.errors.notCompleted");
    expect(result.data.values).toMatchObject({ names: "Jamal Strachan", threshold: 80 });
    expect(await db().select().from(certificates)).toHaveLength(0);
    expect(await certificateEmails()).toHaveLength(0);

    // the model says the same to any caller
    await expect((async () => await issueCertificates({ user: coordinator, ip: null }, victimId, [reg["Lamont Butler"]], "http://localhost:3000"))()).rejects.toThrow(FieldError);
    expect(unwrap(await post({ intent: "issue-selected" })).data.error).toBe("certificates.errors.noneSelected");
    // a registration of another event is not found here
    const other = firstRow(await db().select({ id: registrations.id }).from(registrations).where(eq(registrations.eventId, followUpId)).limit(1))!.id;
    expect((await post({ intent: "issue-selected", registrationIds: String(other) })) as Response).toHaveProperty("status", 404);
    expect(await db().select().from(certificates)).toHaveLength(0);
  });

  it("issues nothing while the event is not over", async () => {
    const result = unwrap(await post({ intent: "issue-all" }, followUpId));
    expect(result.status).toBe(400);
    expect(result.data.error).toBe("certificates.errors.eventNotFinished");
    expect(unwrap(await getTab(cookies.coordinator, followUpId)).data.canIssue).toBe(false);
    expect(await db().select().from(certificates)).toHaveLength(0);
  });

  it("issues a certificate to everyone who completed (by completionSql), with unique codes, an email each in the holder's language, and audit entries", async () => {
    const expected = await completedRegistrationIds(victimId);
    expect(expected.length).toBe(22 - FAILED.length);
    const response = (await post({ intent: "issue-all" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${tabUrl(victimId)}?done=issued&n=${expected.length}`);

    const issued = await db().select().from(certificates).orderBy(asc(certificates.registrationId));
    expect(issued.map((c) => c.registrationId)).toEqual(expected);
    expect(await certificateOf(reg["Shavonne Rolle"])).toBeDefined();
    for (const name of FAILED) expect(await certificateOf(reg[name])).toBeUndefined();
    const codes = issued.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(CODE);
      expect(code.length * Math.log2(CERTIFICATE_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
    }
    expect(issued.every((c) => c.issuedByUserId === coordinator.id && c.revokedAt === null)).toBe(true);

    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "certificate.issue"));
    expect(audits).toHaveLength(expected.length);
    expect(audits.every((a) => a.userId === coordinator.id && a.entityType === "certificate")).toBe(true);
    expect(audits.map((a) => Number(a.entityId)).sort((a, b) => a - b)).toEqual(issued.map((c) => c.id).sort((a, b) => a - b));

    expect(await certificateEmails()).toHaveLength(expected.length);
    const french = await certificateEmails("participant@example.org");
    expect(french).toHaveLength(1);
    expect(french[0].subject).toBe(`Votre certificat de fin de formation : ${DEMO_EVENTS.victimIdentification}`);
    expect(french[0].html).toContain('lang="fr"');
    expect(french[0].text).toContain("http://localhost:3000/me");
    expect(french[0].text).toContain((await certificateOf(reg["Shavonne Rolle"]))!.code);
    const arabic = await certificateEmails("dario.knowles@immigration.gov.bs.example");
    expect(arabic[0].subject).toBe(`شهادة إتمامك: ${DEMO_EVENTS.victimIdentification}`);
    expect(arabic[0].html).toContain('dir="rtl"');
    const english = await certificateEmails("latoya.ferguson@immigration.gov.bs.example");
    expect(english[0].subject).toBe(`Your certificate of completion: ${DEMO_EVENTS.victimIdentification}`);
    expect(english[0].text).toContain("http://localhost:3000/me");

    // a holder without an account has no Convene page: no "/me", no promise of a download there
    const withoutAccount = await db()
      .select({ email: people.email, registrationId: registrations.id })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(eq(registrations.eventId, victimId), isNull(people.userId), inArray(registrations.id, expected)));
    expect(withoutAccount.length).toBeGreaterThan(0);
    for (const holder of withoutAccount) {
      const [email] = await certificateEmails(holder.email!);
      const code = (await certificateOf(holder.registrationId))!.code;
      expect(email.text).not.toContain("/me");
      expect(email.html).not.toContain("/me");
      expect(email.text).not.toContain("Convene page");
      expect(email.text).toContain("Your certificate of completion has been issued.");
      expect(email.html).toContain(`href="http://localhost:3000/certificates/${code}"`);
    }
  });

  it("leaves certificates already issued as they are when asked again", async () => {
    const before = await db().select().from(certificates);
    const response = (await post({ intent: "issue-all" })) as Response;
    expect(response.headers.get("Location")).toBe(`${tabUrl(victimId)}?done=nothingNew`);
    expect((await post({ intent: "issue-selected", registrationIds: String(reg["Shavonne Rolle"]) }) as Response).headers.get("Location")).toBe(
      `${tabUrl(victimId)}?done=nothingNew`,
    );
    expect(await db().select().from(certificates)).toEqual(before);
    expect(await certificateEmails()).toHaveLength(before.length);
    const { data } = unwrap(await getTab(cookies.coordinator, victimId, "?done=nothingNew"));
    expect(data.done).toEqual({ kind: "nothingNew", n: 0 });
    expect(data.rows.find((r: { name: string }) => r.name === "Shavonne Rolle").certificate).toMatchObject({ state: "valid", code: (await certificateOf(reg["Shavonne Rolle"]))!.code });
  });

  it("shows the public verification page to anyone: name, event, dates and validity — nothing else", async () => {
    const code = (await certificateOf(reg["Shavonne Rolle"]))!.code;
    const { status, data } = unwrap(await verify(code));
    expect(status).toBe(200);
    expect(data).toEqual({
      state: "valid",
      code,
      name: "Shavonne Rolle",
      eventTitle: DEMO_EVENTS.victimIdentification,
      startDate: "2023-08-09",
      endDate: "2023-08-10",
      revokedOn: null,
    });
    const shown = JSON.stringify(data);
    expect(shown).not.toContain("@");
    expect(shown).not.toContain(DEMO_ORGANISATIONS.bahamasImmigration);
    expect(shown).not.toContain(DEMO_ORGANISATIONS.implementingOffice);
    expect(shown).not.toContain("Immigration Officer");
    // typed by hand: any case, with spaces or dashes
    const typed = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    expect(unwrap(await verify(typed)).data).toMatchObject({ state: "valid", name: "Shavonne Rolle" });
  });

  it("answers an unknown code with a 404 page that says the code is unknown", async () => {
    for (const code of ["ZZZZZZZZZZZZ", "not a code!", "0O1I0O1I0O1I"]) {
      const { status, data } = unwrap(await verify(code));
      expect(status).toBe(404);
      expect(data).toEqual({ state: "unknown", code });
    }
  });

  it("lets the participant download their certificate: a PDF in her language with her name, the event, hours, code and verification address", async () => {
    const certificate = (await certificateOf(reg["Shavonne Rolle"]))!;
    const read = await pdfOf(await getPdf(certificate.id, cookies.participant));
    expect(read.pages).toHaveLength(1);
    expect(read.lang).toBe("fr");
    expect(read.lines).toContain("Certificat de fin de formation");
    expect(read.lines).toContain("Shavonne Rolle");
    expect(read.text).toContain("Identification and Protection of Victims");
    expect(read.lines).toContain("12 heures de formation suivies");
    expect(read.lines).toContain(DEMO_ORGANISATIONS.implementingOffice);
    expect(read.lines).toContain(certificate.code);
    expect(read.lines).toContain(`http://localhost:3000/certificates/${certificate.code}`);
    // what /me lists
    const participant = await userByEmail("participant@example.org");
    expect((await myCertificates({ ...participant, locale: participant.locale })).map((c) => c.id)).toEqual([certificate.id]);
  });

  it("prints the certificate right to left in Arabic for a holder whose language is Arabic — for her and for the coordinator alike", async () => {
    const certificate = (await certificateOf(reg["Dario Knowles"]))!;
    for (const cookie of [arabicCookie, cookies.coordinator]) {
      const read = await pdfOf(await getPdf(certificate.id, cookie));
      expect(read.lang).toBe("ar");
      expect(read.lines).toContain("شهادة إتمام");
      expect(read.lines).toContain("Dario Knowles");
      expect(read.lines).toContain(certificate.code);
      const title = read.pages[0].find((d) => d.text === "شهادة إتمام")!;
      const issuedBy = read.pages[0].find((d) => d.text === "الجهة المُصدِرة")!;
      const code = read.pages[0].find((d) => d.text === certificate.code)!;
      // right to left: the issuer sits on the right, the verification on the left
      expect(issuedBy.x).toBeGreaterThan(title.x);
      expect(code.x).toBeLessThan(title.x);
    }
  });

  it("writes Arabic text in the order it is read: copy, search and screen readers get 'شهادة إتمام', not its mirror", async () => {
    const certificate = (await certificateOf(reg["Dario Knowles"]))!;
    const response = await getPdf(certificate.id, arabicCookie);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    // through the lines' ActualText
    expect(readPdf(bytes).lines).toContain("شهادة إتمام");
    // and from the glyphs alone, in the order they are drawn (what a simple extractor reads)
    const drawn = readPdf(bytes, { glyphsOnly: true }).lines;
    expect(drawn).toContain("شهادة إتمام");
    expect(drawn).not.toContain("مامتإ ةداهش");
    expect(drawn).toContain("Dario Knowles");
    expect(drawn).toContain(certificate.code);
  });

  it("gives anyone else a 404 for a certificate that is not theirs", async () => {
    const shavonne = (await certificateOf(reg["Shavonne Rolle"]))!.id;
    expect((await getPdf(shavonne, latoyaCookie)).status).toBe(404);
    expect((await getPdf(shavonne, arabicCookie)).status).toBe(404);
    for (const role of ["partner", "donor", "facilitator"]) expect((await getPdf(shavonne, cookies[role])).status).toBe(404);
    expect((await getPdf(999999, cookies.coordinator)).status).toBe(404);
    // Latoya's own, in English (no language chosen, none asked by the browser)
    const read = await pdfOf(await getPdf((await certificateOf(reg["Latoya Ferguson"]))!.id, latoyaCookie));
    expect(read.lang).toBe("en");
    expect(read.lines).toContain("Certificate of completion");
    expect(read.lines).toContain("Latoya Ferguson");
    const anonymous = await getPdf(shavonne, "");
    expect(anonymous.status).toBe(302);
  });

  it("revokes a certificate with a reason: the verification page then says revoked, the PDF is gone, the audit log keeps the reason", async () => {
    const certificate = (await certificateOf(reg["Shavonne Rolle"]))!;
    const missing = unwrap(await post({ intent: "revoke", certificateId: String(certificate.id), reason: "  " }));
    expect(missing.status).toBe(400);
    expect(missing.data.error).toBe("certificates.errors.reasonRequired");
    expect(missing.data.revoke).toEqual({ certificateId: certificate.id, reason: "  " });
    // another event's tab cannot revoke it
    expect((await post({ intent: "revoke", certificateId: String(certificate.id), reason: "Wrong event" }, followUpId)) as Response).toHaveProperty("status", 404);
    expect((await post({ intent: "revoke", certificateId: String(certificate.id), reason: "x" }, victimId, cookies.participant)) as Response).toHaveProperty("status", 403);
    expect((await certificateOf(reg["Shavonne Rolle"]))!.revokedAt).toBeNull();

    const response = (await post({ intent: "revoke", certificateId: String(certificate.id), reason: "Attendance sheet corrected" })) as Response;
    expect(response.headers.get("Location")).toBe(`${tabUrl(victimId)}?done=revoked`);
    const revoked = (await certificateOf(reg["Shavonne Rolle"]))!;
    expect(revoked).toMatchObject({ code: certificate.code, revokedByUserId: coordinator.id, revokeReason: "Attendance sheet corrected" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);

    const { status, data } = unwrap(await verify(certificate.code));
    expect(status).toBe(200);
    expect(data).toMatchObject({ state: "revoked", name: "Shavonne Rolle", revokedOn: revoked.revokedAt!.toISOString().slice(0, 10) });
    expect(JSON.stringify(data)).not.toContain("Attendance sheet corrected");
    expect((await getPdf(certificate.id, cookies.participant)).status).toBe(404);
    const participant = await userByEmail("participant@example.org");
    expect(await myCertificates({ ...participant })).toEqual([]);

    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "certificate.revoke"), eq(auditLog.entityId, String(certificate.id))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: coordinator.id, details: { eventId: victimId, reason: "Attendance sheet corrected" } });
    expect(unwrap(await post({ intent: "revoke", certificateId: String(certificate.id), reason: "Again" })).data.error).toBe("certificates.errors.alreadyRevoked");
  });

  it("issues a revoked certificate again with a new code; the old code still verifies as revoked", async () => {
    const old = (await certificateOf(reg["Shavonne Rolle"]))!;
    const response = (await post({ intent: "issue-selected", registrationIds: String(reg["Shavonne Rolle"]) })) as Response;
    expect(response.headers.get("Location")).toBe(`${tabUrl(victimId)}?done=issued&n=1`);
    const renewed = (await certificateOf(reg["Shavonne Rolle"]))!;
    expect(renewed.id).toBe(old.id);
    expect(renewed.code).not.toBe(old.code);
    expect(renewed.code).toMatch(CODE);
    expect(renewed).toMatchObject({ revokedAt: null, revokedByUserId: null, revokeReason: null });
    // the old code stays revoked, never "unknown": a verifier must tell a revoked paper from a forged one
    const oldAnswer = unwrap(await verify(old.code));
    expect(oldAnswer.status).toBe(200);
    expect(oldAnswer.data).toMatchObject({ state: "revoked", code: old.code, name: "Shavonne Rolle", revokedOn: old.revokedAt!.toISOString().slice(0, 10) });
    expect(unwrap(await verify(old.code.toLowerCase())).data).toMatchObject({ state: "revoked", code: old.code });
    expect(unwrap(await verify(renewed.code)).data).toMatchObject({ state: "valid" });
    expect(await certificateEmails("participant@example.org")).toHaveLength(2);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "certificate.issue"), eq(auditLog.entityId, String(old.id))));
    expect(audit.map((a) => a.details?.reissue)).toEqual([false, true]);
    expect((await getPdf(renewed.id, cookies.participant)).status).toBe(200);
  });

  it("issues only to participants: a facilitator on the roster is refused by name", async () => {
    const facilitatorReg = firstRow(await db()
      .select({ id: registrations.id })
      .from(registrations)
      .where(and(eq(registrations.eventId, victimId), eq(registrations.eventRole, "facilitator"))).limit(1))!.id;
    const result = unwrap(await post({ intent: "issue-selected", registrationIds: String(facilitatorReg) }));
    expect(result.status).toBe(400);
    expect(result.data.error).toBe("certificates.errors.notParticipant");
    expect(result.data.values.names).toBe("Tomás Herrera");
    expect(await db().select().from(certificates).where(inArray(certificates.registrationId, [facilitatorReg]))).toHaveLength(0);
    expect((await db().select().from(emailOutbox).where(like(emailOutbox.toAddress, "facilitator@%"))).filter((m) => m.kind === "certificate_issued")).toHaveLength(0);
  });

  it("says so when nobody completed: an event over without any session attended issues nothing", async () => {
    const eventId = (await db()
      .insert(events)
      .values({ title: "Workshop without a timetable", type: "workshop", country: "SN", timeZone: "Africa/Dakar", startDate: "2026-10-05", endDate: "2026-10-05", status: "completed" })
      .returning())[0].id;
    const personId = (await db().insert(people).values({ givenName: "Awa", familyName: "Diop", email: "awa.diop@interieur.sn.example" }).returning())[0].id;
    await db().insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: new Date() });
    const { data } = unwrap(await getTab(cookies.coordinator, eventId));
    expect(data.rows).toEqual([expect.objectContaining({ name: "Awa Diop", attended: 0, counted: 0, rate: null, completed: false, certificate: null })]);
    const response = (await post({ intent: "issue-all" }, eventId)) as Response;
    expect(response.headers.get("Location")).toBe(`${tabUrl(eventId)}?done=noneCompleted`);
    expect(await certificateEmails("awa.diop@interieur.sn.example")).toHaveLength(0);
  });

  it("names the event's own implementing office and the event's own place as the issuer — never the Nassau office for a training in Manila", async () => {
    const eventId = (await db()
      .insert(events)
      .values({ title: "Border Management Workshop", type: "workshop", country: "PH", locality: "Manila", timeZone: "Asia/Manila", startDate: "2026-10-12", endDate: "2026-10-13", status: "completed" })
      .returning())[0].id;
    const personId = (await db().insert(people).values({ givenName: "Maria", familyName: "Santos", email: "maria.santos@immigration.ph.example" }).returning())[0].id;
    const registrationId = (await db().insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: new Date() }).returning())[0].id;
    // issued by the coordinator, whose office is the one in Nassau
    const certificateId = (await db()
      .insert(certificates)
      .values({ registrationId, code: "MNLAB2345678", issuedAt: new Date("2026-10-20T03:00:00Z"), issuedByUserId: coordinator.id })
      .returning())[0].id;
    const bottomOf = async () => {
      const read = await pdfOf(await getPdf(certificateId, cookies.coordinator));
      expect(read.text).not.toContain("Nassau");
      return read;
    };
    let read = await bottomOf();
    expect(read.lines).toContain("Convene");
    expect(read.lines).toContain("Manila, Philippines");

    // the office that ran it, once it is among the event's partners
    const manila = await createOrganisation("Convene Implementing Office — Manila", "implementing_office", "PH");
    await db().insert(eventPartners).values({ eventId, organisationId: manila.id });
    read = await bottomOf();
    expect(read.lines).toContain("Convene Implementing Office — Manila");
    expect(read.lines).toContain("Manila, Philippines");
  });

  it("issues nothing before the event's last session has ended, even when its status says completed, and says from when", async () => {
    // a clock on the last day of a one-day workshop in Nassau, before its last session ends (17:00 EDT)
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2027-03-17T19:00:00Z")); // 15:00 in Nassau
      const cookie = await cookieFor("coordinator@example.org"); // a session of that day
      const eventId = (await db()
        .insert(events)
        .values({ title: "Workshop closed early", type: "workshop", country: "BS", timeZone: "America/Nassau", startDate: "2027-03-17", endDate: "2027-03-17", status: "completed" })
        .returning())[0].id;
      const sessionIds = await Promise.all([["09:00", "12:00"], ["13:00", "17:00"]].map(async ([start, end]) =>
        (await db().insert(eventSessions).values({ eventId, title: `From ${start}`, startsAt: zonedToUtc("2027-03-17", start, "America/Nassau"), endsAt: zonedToUtc("2027-03-17", end, "America/Nassau") }).returning())[0].id,
      ));
      const personId = (await db().insert(people).values({ givenName: "Keisha", familyName: "Early", email: "keisha.early@immigration.bs.example" }).returning())[0].id;
      const registrationId = (await db().insert(registrations).values({ eventId, personId, status: "confirmed", statusChangedAt: new Date() }).returning())[0].id;
      for (const sessionId of sessionIds) await db().insert(attendance).values({ registrationId, sessionId, status: "present", method: "manual", recordedAt: new Date() });

      const { data } = unwrap(await getTab(cookie, eventId));
      expect(data).toMatchObject({ canIssue: false, ended: false });
      expect(new Date(data.issuableFrom).toISOString()).toBe("2027-03-17T21:00:00.000Z");
      expect(data.rows).toEqual([expect.objectContaining({ name: "Keisha Early", completed: true, certificate: null })]);
      const refused = unwrap(await post({ intent: "issue-all" }, eventId, cookie));
      expect(refused.status).toBe(400);
      expect(refused.data.error).toBe("certificates.errors.eventNotEnded");
      expect(refused.data.values).toEqual({ endsAt: Date.parse("2027-03-17T21:00:00Z") });
      await expect((async () => await issueCertificates({ user: coordinator, ip: null }, eventId, [registrationId], "http://localhost:3000"))()).rejects.toThrow(FieldError);
      expect(await certificateOf(registrationId)).toBeUndefined();
      expect(await certificateEmails("keisha.early@immigration.bs.example")).toHaveLength(0);

      // once the last session is over, the same request issues the certificate
      vi.setSystemTime(new Date("2027-03-17T21:00:00Z"));
      expect(unwrap(await getTab(cookie, eventId)).data).toMatchObject({ canIssue: true, ended: true });
      expect(((await post({ intent: "issue-all" }, eventId, cookie)) as Response).headers.get("Location")).toBe(`${tabUrl(eventId)}?done=issued&n=1`);
      expect(await certificateOf(registrationId)).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
