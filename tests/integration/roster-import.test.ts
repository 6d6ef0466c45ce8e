import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { getDb, firstRow } from "../../db/client";
import { auditLog, events, people, registrations, users } from "../../db/schema";
import { DEMO_ORGANISATIONS, seedDemo } from "../../db/seed/demo";
import type { SessionUser } from "~/auth/session.server";
import { importRoster, getRoster, RosterImportRejected, type RosterImportProblem } from "~/models/registrations.server";
import * as importPage from "~/routes/events.$eventId.roster_.import";
import * as template from "~/routes/events.$eventId.roster.template[.]csv";
import { APP, call, makeRequest, sessionCookie, unwrap } from "../setup/helpers";

const TODAY = new Date("2026-11-22T12:00:00Z");
let coordinator: SessionUser;
let coordinatorCookie: string;
const actor = () => ({ user: coordinator, ip: "127.0.0.1" });

beforeAll(async () => {
  await seedDemo(getDb(), { today: TODAY });
  coordinator = firstRow(await getDb()
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, organisationId: users.organisationId, locale: users.locale })
    .from(users)
    .where(eq(users.email, "coordinator@example.org")).limit(1))!;
  coordinatorCookie = await sessionCookie(coordinator);
});

let eventCounter = 0;
async function newEvent(capacity: number | null = 30) {
  eventCounter++;
  return (await getDb()
    .insert(events)
    .values({
      title: `Imported training ${eventCounter}`,
      type: "training",
      country: "BS",
      timeZone: "America/Nassau",
      startDate: "2027-02-09",
      endDate: "2027-02-10",
      capacity,
      status: "open",
    })
    .returning())[0].id;
}

const regsOf = async (eventId: number) => await getDb().select().from(registrations).where(eq(registrations.eventId, eventId));
const peopleCount = async () => firstRow(await getDb().select({ n: count() }).from(people).limit(1))!.n;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The import's problems, or a failure when it was accepted. */
async function problemsOf(eventId: number, bytes: Uint8Array): Promise<RosterImportProblem[]> {
  try {
    await importRoster(actor(), eventId, bytes, APP);
  } catch (error) {
    if (error instanceof RosterImportRejected) return error.problems;
    throw error;
  }
  throw new Error("the import was accepted");
}

/**
 * The officers of the Bahamas victim-identification training (demo data), as a coordinator's
 * spreadsheet would have them: header in another order, the organisation in other capitals,
 * values typed "Female", a quoted cell with a comma, CRLF line ends, a blank line.
 */
const BAHAMAS_ROSTER = [
  "family_name,given_name,sex,organisation,position,role_category,nationality",
  "Rolle,Shavonne,Female,Bahamas Department of Immigration,Grade 1 Immigration Officer,immigration_officer,BS",
  "Knowles,Dario,Male,Bahamas Department of Immigration,Immigration Officer II,immigration_officer,BS",
  "Ferguson,Latoya,female,BAHAMAS DEPARTMENT OF IMMIGRATION,Border Control Officer,border_officer,bs",
  'Pinder,Kendall,male,Bahamas Department of Immigration,"Port Inspection Officer, Nassau Cruise Port",port_specialist,BS',
  "Sands,Tamika,female,Bahamas Department of Immigration,\"Welfare Officer, Detention Centre\",social_worker,BS",
  "Cartwright,Marvin,male,Bahamas Department of Immigration,Investigations Liaison Officer,police_specialist,BS",
  "Moss,Deandra,female,Bahamas Department of Immigration,Senior Immigration Officer,immigration_officer,BS",
  "Strachan,Jamal,male,Bahamas Department of Immigration,Border Control Officer,border_officer,BS",
  "Adderley,Patrice,female,Bahamas Department of Immigration,Immigration Officer I,immigration_officer,BS",
  "",
  "Bain,Theron,male,Bahamas Department of Immigration,\"Port Inspection Officer, Lynden Pindling International Airport\",port_specialist,BS",
  "Munroe,Keisha,female,Bahamas Department of Immigration,Immigration Officer II,immigration_officer,BS",
  "Darville,Andre,male,Bahamas Department of Immigration,Enforcement Unit Officer,police_specialist,BS",
  "Seymour,Nadia,female,Bahamas Department of Immigration,Border Control Officer,border_officer,BS",
  "Higgs,Rashad,male,Bahamas Department of Immigration,Immigration Officer I,immigration_officer,BS",
  "Deveaux,Crystal,female,Bahamas Department of Immigration,\"Case Officer, Trafficking in Persons Unit\",social_worker,BS",
  "Butler,Lamont,male,Bahamas Department of Immigration,Maritime Port Officer,port_specialist,BS",
  "Outten,Sheena,female,Bahamas Department of Immigration,Immigration Officer I,immigration_officer,BS",
  "Saunders,Vaughn,male,Bahamas Department of Immigration,Assistant Immigration Supervisor,immigration_officer,BS",
  "Newbold,Antonia,female,Bahamas Department of Immigration,Enforcement Unit Officer,police_specialist,BS",
  "McKenzie,Travis,male,Bahamas Department of Immigration,Border Control Officer,border_officer,BS",
  "Thompson,Giselle,female,Bahamas Department of Immigration,Immigration Officer II,immigration_officer,BS",
  "Lightbourne,Omar,male,Bahamas Department of Immigration,Port Inspection Officer,port_specialist,BS",
].join("\r\n");

/** A multipart upload as the browser sends it. */
function uploadRequest(eventId: number, body: Uint8Array | string, cookie = coordinatorCookie) {
  const form = new FormData();
  form.append("file", new File([body as BlobPart], "roster.csv", { type: "text/csv" }));
  return new Request(`${APP}/events/${eventId}/roster/import`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: APP } });
}
const upload = async (eventId: number, body: Uint8Array | string, cookie?: string) =>
  await call(importPage.action, uploadRequest(eventId, body, cookie), { eventId: String(eventId) });

describe("importing a roster", () => {
  it("imports the 22 Bahamas officers, recognising them, shown by role category and sex; a second import adds nobody", async () => {
    const eventId = await newEvent(30);
    const before = await peopleCount();
    const result = await importRoster(actor(), eventId, utf8(BAHAMAS_ROSTER), APP);
    expect(result).toMatchObject({ created: 22, recognised: 22, alreadyOnRoster: 0 });
    // the officers are already in Convene (demo data): recognised by name in the same organisation, not duplicated
    expect(await peopleCount()).toBe(before);
    expect(await regsOf(eventId)).toHaveLength(22);
    expect((await regsOf(eventId)).every((r) => r.status === "confirmed" && r.eventRole === "participant")).toBe(true);

    const roster = await getRoster(coordinator, eventId);
    const counts = (list: { key: string | null; n: number }[]) => Object.fromEntries(list.map((c) => [c.key, c.n]));
    expect(counts(roster.counts.bySex)).toEqual({ female: 11, male: 11 });
    expect(counts(roster.counts.byRoleCategory)).toEqual({
      immigration_officer: 9,
      border_officer: 4,
      port_specialist: 4,
      police_specialist: 3,
      social_worker: 2,
    });
    expect(counts(roster.counts.byOrganisation)).toEqual({ [DEMO_ORGANISATIONS.bahamasImmigration]: 22 });
    const pinder = roster.rows.find((r) => r.familyName === "Pinder")!;
    expect(pinder.position).toBe("Port Inspection Officer, Nassau Cruise Port");

    const audit = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "roster.import"), eq(auditLog.entityId, String(eventId))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: coordinator.id, entityType: "event", details: { rows: 22, created: 22, recognised: 22, alreadyOnRoster: 0 } });

    const again = await importRoster(actor(), eventId, utf8(BAHAMAS_ROSTER), APP);
    expect(again).toMatchObject({ created: 0, recognised: 22, alreadyOnRoster: 22 });
    expect(await regsOf(eventId)).toHaveLength(22);
    expect(await peopleCount()).toBe(before);
  });

  it("creates new people with every column, defaults the event role and status, and takes roles and statuses from the file", async () => {
    const eventId = await newEvent(null);
    const csv = [
      "given_name,family_name,email,phone,sex,organisation,position,role_category,nationality,event_role,status,dietary_needs,accessibility_needs",
      "Ana,Pérez,Ana.Perez@Example.org,+1 242 555 0199,female,Bahamas Department of Immigration,Analyst,policy_officer,bs,,,Vegetarian,Step-free access",
      "Ravi,Shah,ravi@example.org,,male,,Trainer,other,GB,facilitator,confirmed,,",
      "Lea,Roux,,,,,,,,observer,waitlisted,,",
    ].join("\n");
    expect(await importRoster(actor(), eventId, utf8(csv), APP)).toMatchObject({ created: 3, recognised: 0, alreadyOnRoster: 0 });
    const ana = firstRow(await getDb().select().from(people).where(eq(people.email, "ana.perez@example.org")).limit(1))!;
    expect(ana).toMatchObject({ givenName: "Ana", familyName: "Pérez", phone: "+1 242 555 0199", sex: "female", nationality: "BS", roleCategory: "policy_officer", dietaryNeeds: "Vegetarian", accessibilityNeeds: "Step-free access" });
    const byPerson = new Map((await regsOf(eventId)).map((r) => [r.personId, r]));
    expect(byPerson.get(ana.id)).toMatchObject({ eventRole: "participant", status: "confirmed" });
    const ravi = firstRow(await getDb().select().from(people).where(eq(people.email, "ravi@example.org")).limit(1))!;
    expect(byPerson.get(ravi.id)).toMatchObject({ eventRole: "facilitator", status: "confirmed" });
    const lea = firstRow(await getDb().select().from(people).where(and(eq(people.givenName, "Lea"), eq(people.familyName, "Roux"))).limit(1))!;
    expect(byPerson.get(lea.id)).toMatchObject({ eventRole: "observer", status: "waitlisted" });
  });

  it("refuses a wrong header, naming the unknown and missing columns", async () => {
    const eventId = await newEvent();
    const problems = await problemsOf(eventId, utf8("first_name,family_name,mail\nAna,Pérez,ana@example.org\n"));
    expect(problems).toEqual([
      expect.objectContaining({ line: null, key: "rosterImport.errors.unknownColumns", values: expect.objectContaining({ columns: "first_name, mail" }) }),
      expect.objectContaining({ line: null, key: "rosterImport.errors.missingColumns", values: { columns: "given_name" } }),
    ]);
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("refuses a file that is not UTF-8 (Windows-1252), telling the user to save it as CSV UTF-8", async () => {
    const eventId = await newEvent();
    const bytes = new Uint8Array([...utf8("given_name,family_name\nRen"), 0xe9, ...utf8(",Dupont\n")]);
    expect(await problemsOf(eventId, bytes)).toEqual([{ line: null, column: null, key: "rosterImport.errors.encoding", values: {} }]);
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("reads UTF-8 with a byte-order mark, UTF-16 LE and BE with one, and semicolon-separated files", async () => {
    const names = "given_name,family_name,organisation\nJosé,Núñez,Bahamas Department of Immigration\nفاطمة,الحسن,\nŁukasz,Żółw,\n";
    const cases: [string, Uint8Array][] = [
      ["utf-8 bom", utf8(`\uFEFF${names}`)],
      ["utf-16le bom", new Uint8Array(Buffer.from(`\uFEFF${names}`, "utf16le"))],
      ["utf-16be bom", new Uint8Array(Buffer.from(`\uFEFF${names}`, "utf16le").swap16())],
      ["semicolons", utf8(`\uFEFF${names.replaceAll(",", ";")}`)],
    ];
    for (const [label, bytes] of cases) {
      const eventId = await newEvent();
      const result = await importRoster(actor(), eventId, bytes, APP);
      expect(result.created, label).toBe(3);
      const imported = (await getRoster(coordinator, eventId)).rows.map((r) => `${r.givenName} ${r.familyName}`).sort();
      expect(imported, label).toEqual(["José Núñez", "Łukasz Żółw", "فاطمة الحسن"].sort());
    }
  });

  it("reports every row problem with its line and column, a formula among them, and imports nothing", async () => {
    const eventId = await newEvent();
    const before = await peopleCount();
    const csv = [
      "given_name,family_name,email,sex,organisation,nationality,event_role", // line 1
      "Good,Person,good@example.org,female,,BS,", // line 2: fine
      'Evil,"=HYPERLINK(""http://x"")",evil@example.org,,,,', // line 3
      "Ann,Smith,ann@example.org,f,,,", // line 4: sex
      "Bob,Jones,bob@example.org,male,Nowhere Agency,XX,speaker", // line 5: organisation, nationality, event_role
      ",Blank,,,,,", // line 6: given_name
      "Carl,Brown,not-an-email,,,,", // line 7: email
      "Dup,Licate,good@example.org,,,,", // line 8: same email as line 2
      "@Dana,Lee,,,,,", // line 9: formula-like name
    ].join("\n");
    const problems = await problemsOf(eventId, utf8(csv));
    const brief = problems.map((p) => `${p.line} ${p.column} ${p.key.replace("rosterImport.cell.", "")}`);
    expect(brief).toEqual([
      "3 family_name formula",
      "4 sex choice",
      "5 organisation organisation",
      "5 nationality country",
      "5 event_role choice",
      "6 given_name required",
      "7 email email",
      "8 email duplicateEmail",
      "9 given_name formula",
    ]);
    expect(problems[0].values).toEqual({ value: '=HYPERLINK("http://x")' });
    expect(problems.find((p) => p.line === 8)!.values).toEqual({ line: 2 });
    expect(problems.find((p) => p.column === "sex")!.values).toEqual({ value: "f", allowed: "female, male, other, undisclosed" });
    expect(await regsOf(eventId)).toHaveLength(0);
    expect(await peopleCount()).toBe(before);
  });

  it("gives the line where a row starts, counting blank lines and line breaks inside quoted cells; ignores empty nameless columns", async () => {
    const eventId = await newEvent();
    const csv = [
      "given_name,family_name,position,,", // line 1: two empty columns past the last one used
      "Ok,One,,,", // line 2
      "", // line 3: blank
      'Ok,Two,"Head of unit', // line 4: a cell with a line break…
      'Nassau office",,', // line 5: …ends here
      "Not,Ok,@SUM(A1),,", // line 6
    ].join("\r\n");
    expect(await problemsOf(eventId, utf8(csv))).toEqual([{ line: 6, column: "position", key: "rosterImport.cell.formula", values: { value: "@SUM(A1)" } }]);
    const fixed = csv.replace("@SUM(A1)", "Analyst");
    expect((await importRoster(actor(), eventId, utf8(fixed), APP)).created).toBe(3);
    expect((await getRoster(coordinator, eventId)).rows.find((r) => r.familyName === "Two")!.position).toBe("Head of unit\nNassau office");
    // a nameless column with something in it is not ignored
    expect((await problemsOf(await newEvent(), utf8("given_name,family_name,\nA,B,C\n")))[0]).toMatchObject({ key: "rosterImport.errors.unknownColumns", values: { columns: '""' } });
  });

  it("reports a row with too many cells, or a broken quotation mark, with its line", async () => {
    const eventId = await newEvent();
    expect(await problemsOf(eventId, utf8("given_name,family_name\nAna,Pérez\n\nLuis,García,extra\n"))).toEqual([
      { line: null, column: null, key: "rosterImport.errors.cellCount", values: { line: 4, got: 3, expected: 2 } },
    ]);
    expect((await problemsOf(eventId, utf8('given_name,family_name\nAna,"Pérez"x\n')))[0]).toMatchObject({ key: "rosterImport.errors.badQuote", values: { line: 2 } });
    expect((await problemsOf(eventId, utf8('given_name,family_name\nAna,"Pérez\n')))[0]).toMatchObject({ key: "rosterImport.errors.quoteNotClosed" });
    expect((await problemsOf(eventId, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])))[0]).toMatchObject({ key: "rosterImport.errors.workbook" });
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("treats the same name in the same organisation twice as a duplicate", async () => {
    const eventId = await newEvent();
    const csv = "given_name,family_name,organisation\nKeisha,Munroe,Bahamas Department of Immigration\nkeisha,MUNROE,bahamas department of immigration\n";
    expect(await problemsOf(eventId, utf8(csv))).toEqual([
      { line: 3, column: "family_name", key: "rosterImport.cell.duplicatePerson", values: { line: 2 } },
    ]);
  });

  it("refuses a file that would exceed the event's capacity, importing nothing", async () => {
    const eventId = await newEvent(3);
    expect((await importRoster(actor(), eventId, utf8("given_name,family_name,email\nFirst,Seat,seat1@example.org\n"), APP)).created).toBe(1);
    const before = await peopleCount();
    const csv = "given_name,family_name,email,status\nA,One,cap1@example.org,\nB,Two,cap2@example.org,confirmed\nC,Three,cap3@example.org,confirmed\nD,Four,cap4@example.org,waitlisted\n";
    expect(await problemsOf(eventId, utf8(csv))).toEqual([
      { line: null, column: null, key: "rosterImport.errors.capacity", values: { left: 2, wanted: 3, capacity: 3 } },
    ]);
    expect(await regsOf(eventId)).toHaveLength(1);
    expect(await peopleCount()).toBe(before); // the people created before the check were rolled back
    // two confirmed and the rest waitlisted fit
    const fits = csv.replace("C,Three,cap3@example.org,confirmed", "C,Three,cap3@example.org,waitlisted");
    expect(await importRoster(actor(), eventId, utf8(fits), APP)).toMatchObject({ created: 4 });
    expect((await regsOf(eventId)).filter((r) => r.status === "confirmed")).toHaveLength(3);
  });

  it("refuses a file of 10,001 people", async () => {
    const eventId = await newEvent(null);
    const lines = ["given_name,family_name,email"];
    for (let i = 0; i < 10_001; i++) lines.push(`Officer,Number ${i},bulk-refused-${i}@example.org`);
    expect(await problemsOf(eventId, utf8(lines.join("\n")))).toEqual([
      { line: null, column: null, key: "rosterImport.errors.tooManyRows", values: { max: 10_000, rows: 10_001 } },
    ]);
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("imports 10,000 people of one organisation in a few seconds", async () => {
    const eventId = await newEvent(null);
    const lines = ["given_name,family_name,email,sex,organisation,position,role_category,nationality"];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`Officer ${i},Bulk ${i % 97},bulk-${i}@immigration.example,${i % 2 ? "male" : "female"},Bahamas Department of Immigration,Immigration Officer I,immigration_officer,BS`);
    }
    const bytes = utf8(lines.join("\r\n"));
    const started = performance.now();
    const result = await importRoster(actor(), eventId, bytes, APP);
    const seconds = (performance.now() - started) / 1000;
    console.info(`roster import: 10,000 rows (${(bytes.length / 1e6).toFixed(2)} MB) in ${seconds.toFixed(2)} s`);
    expect(result).toMatchObject({ created: 10_000, recognised: 0, alreadyOnRoster: 0 });
    expect(await regsOf(eventId)).toHaveLength(10_000);
    // SQLite: 4–10 s. PostgreSQL: 18–21 s on a loaded 2-core machine, one lookup and one insert a
    // row each a round trip to the server; batching them is still to do (a known miss, in the notes)
    expect(seconds).toBeLessThan(getDb().engine === "postgres" ? 45 : 20);
  }, 90_000);
});

describe("the import page", () => {
  it("imports an upload and shows the outcome after the redirect", async () => {
    const eventId = await newEvent();
    const response = (await upload(eventId, "given_name,family_name,email\nPage,Upload,page-upload@example.org\n")) as Response;
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/events/${eventId}/roster/import\\?result=\\d+$`));
    expect(response.headers.get("Set-Cookie")).toContain("convene_flash");
    const page = unwrap(await call(importPage.loader, makeRequest(location, { cookie: coordinatorCookie }), { eventId: String(eventId) }));
    expect(page.data.result).toEqual({ created: 1, recognised: 0, alreadyOnRoster: 0 });
    expect(page.data.columns).toContain("role_category");
    expect(page.data.organisations).toContain(DEMO_ORGANISATIONS.bahamasImmigration);
    // someone else's import, or another event's, is not shown
    const other = await newEvent();
    const elsewhere = unwrap(await call(importPage.loader, makeRequest(location.replace(`/events/${eventId}/`, `/events/${other}/`), { cookie: coordinatorCookie }), { eventId: String(other) }));
    expect(elsewhere.data.result).toBeNull();
  });

  it("lists the first 200 problems and counts the rest", async () => {
    const eventId = await newEvent();
    const lines = ["given_name,family_name,email"];
    for (let i = 0; i < 250; i++) lines.push(`Bad,Email ${i},not-an-email-${i}`);
    const result = unwrap(await upload(eventId, lines.join("\n")));
    expect(result.status).toBe(400);
    expect(result.data.total).toBe(250);
    expect(result.data.problems).toHaveLength(200);
    expect(result.data.problems[0]).toEqual({ line: 2, column: "email", key: "rosterImport.cell.email", values: { value: "not-an-email-0" } });
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("refuses a file over 5 MB, and a form without a file", async () => {
    const eventId = await newEvent();
    const big = `given_name,family_name\n${"Someone,Long\n".repeat(400_000)}`;
    expect(big.length).toBeGreaterThan(5_000_000);
    const tooBig = unwrap(await upload(eventId, big));
    expect(tooBig.status).toBe(400);
    expect(tooBig.data.problems[0].key).toBe("rosterImport.errors.tooLarge");
    const noFile = unwrap(await call(importPage.action, makeRequest(`/events/${eventId}/roster/import`, { form: { x: "y" }, cookie: coordinatorCookie }), { eventId: String(eventId) }));
    expect(noFile.status).toBe(400);
    expect(noFile.data.problems[0].key).toBe("rosterImport.errors.noFile");
    expect(await regsOf(eventId)).toHaveLength(0);
  });

  it("offers the template: the header row only, with the machine column names", async () => {
    const eventId = await newEvent();
    const response = (await call(template.loader, makeRequest(`/events/${eventId}/roster/template.csv`, { cookie: coordinatorCookie }), { eventId: String(eventId) })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    // UTF-8 with a byte-order mark (as every export), so that spreadsheet programs read it as UTF-8
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toBe(
      "given_name,family_name,email,phone,sex,organisation,position,role_category,nationality,event_role,status,dietary_needs,accessibility_needs\r\n",
    );
  });

  it("is for coordinators and admins only: participants, partners and donors get 403, visitors the login page", async () => {
    const eventId = await newEvent();
    for (const email of ["participant@example.org", "partner@example.org", "donor@example.org"]) {
      const u = firstRow(await getDb().select().from(users).where(eq(users.email, email)).limit(1))!;
      const cookie = await sessionCookie({ id: u.id, role: u.role });
      const params = { eventId: String(eventId) };
      expect(((await call(importPage.loader, makeRequest(`/events/${eventId}/roster/import`, { cookie }), params)) as Response).status, email).toBe(403);
      expect(((await upload(eventId, "given_name,family_name\nNot,Allowed\n", cookie)) as Response).status, email).toBe(403);
      expect(((await call(template.loader, makeRequest(`/events/${eventId}/roster/template.csv`, { cookie }), params)) as Response).status, email).toBe(403);
      await expect((async () => await importRoster({ user: { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: u.organisationId, locale: null }, ip: null }, eventId, utf8("given_name,family_name\nNot,Allowed\n"), APP))()).rejects.toThrow();
    }
    const anonymous = (await call(importPage.loader, makeRequest(`/events/${eventId}/roster/import`), { eventId: String(eventId) })) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toContain("/login");
    expect(await regsOf(eventId)).toHaveLength(0);
    const admin = firstRow(await getDb().select().from(users).where(eq(users.email, "admin@example.org")).limit(1))!;
    const adminCookie = await sessionCookie({ id: admin.id, role: admin.role });
    expect(unwrap(await call(importPage.loader, makeRequest(`/events/${eventId}/roster/import`, { cookie: adminCookie }), { eventId: String(eventId) })).status).toBe(200);
  });
});
