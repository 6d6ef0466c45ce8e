/**
 * Demo data: the trainings of the two source reports (DOMAIN.md), with fictional people.
 *
 * Loaded by `npm run seed:demo` (db/seed/demo-cli.ts) and by `npm run demo`; never by `npm start`.
 * Everything is written in one synchronous transaction, and nothing is written when the demo
 * admin account already exists, so a second run adds nothing. The data is deterministic (fixed
 * patterns, no randomness); the trainings of the present move with `today` (the day the demo is
 * first loaded): one in progress (its sessions yesterday, today and tomorrow in Nassau, attendance
 * taken for the sessions already started), one ended 31 days before (action plans whose first
 * check-in is due, certificates not issued yet), the upcoming follow-up training and a draft.
 */
import { firstRow } from "../client";
import crypto from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { DB, Tx } from "../client";
import {
  actionPlanComments,
  appSettings,
  actionPlanItems,
  actionPlanMembers,
  actionPlans,
  actionPlanUpdates,
  attendance,
  certificates,
  consents,
  eventGcmObjectives,
  eventPartners,
  events,
  eventSessions,
  followUpRequestEntries,
  followUpRequests,
  organisations,
  people,
  programmeFunding,
  programmes,
  registrations,
  secondFactors,
  sessionFacilitators,
  users,
} from "../schema";
import { hashPassword } from "../../app/auth/password.server";
import { newUserId } from "../../app/models/accounts.server";
import { DEMO_DATA_SETTING, DEMO_PASSWORD } from "../../app/models/second-factor.server";
import { base32ToBytes, encryptSecret } from "../../app/auth/second-factor.server";
import { DEMO_SECOND_FACTOR_ACCOUNTS, DEMO_TOTP_SECRET } from "./demo-second-factor";
import { CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH } from "../../app/models/certificates.server";
import { completionSql, REGISTRATION_REFS } from "../../app/models/completion.server";
import { seedDemoEvaluation } from "./demo-evaluation";
import type {
  ActionItemStatus,
  AttendanceStatus,
  EventRole,
  RegistrationStatus,
  Role,
  RoleCategory,
  SessionKind,
  Sex,
} from "../../app/lib/domain";

export { DEMO_PASSWORD };
export { DEMO_SECOND_FACTOR_ACCOUNTS, DEMO_TOTP_SECRET };

export const DEMO_ACCOUNTS = [
  { email: "admin@example.org", role: "admin", name: "Elena Vasquez" },
  { email: "coordinator@example.org", role: "coordinator", name: "Marguerite Cooper" },
  { email: "facilitator@example.org", role: "facilitator", name: "Tomás Herrera" },
  { email: "participant@example.org", role: "participant", name: "Shavonne Rolle" },
  { email: "partner@example.org", role: "partner", name: "Kendrick Bethel" },
  { email: "donor@example.org", role: "donor", name: "Margaret Hollis" },
] as const satisfies readonly { email: string; role: Role; name: string }[];

export const DEMO_ORGANISATIONS = {
  prm: "U.S. Department of State, Bureau of Population, Refugees and Migration",
  gulfFund: "Gulf Partnership Fund",
  bahamasImmigration: "Bahamas Department of Immigration",
  bahrainInterior: "Ministry of Interior, Kingdom of Bahrain",
  implementingOffice: "Convene Implementing Office — Nassau",
  media: "Nassau Broadcasting Network",
} as const;

export const DEMO_PROGRAMMES = {
  westernHemisphere: "Western Hemisphere Program",
  gulf: "Gulf Counter-Trafficking Partnership",
} as const;

export const DEMO_EVENTS = {
  essentials: "Essentials of Migration Management",
  media: "Media Training on Migration and Human Rights",
  victimIdentification: "Identification and Protection of Victims of Trafficking and Migrants in Vulnerable Situations",
  bahrain: "Counter-Trafficking Training for Immigration Officials",
  followUp: "Identification of Victims of Trafficking — Follow-up Training, Grand Bahama",
  draft: "Training of Trainers on Victim-Centred Approaches",
  /** in progress on the day the demo is first loaded: yesterday, today and tomorrow in Nassau */
  current: "Trauma-Informed Interviewing of Victims of Trafficking",
  /** ended 31 days before the demo is first loaded: its action plans' 30-day check-in is due */
  recent: "Screening and Referral at Ports of Entry",
} as const;

/** The open request of the demo (under review): the coordinator can accept it into a draft event. */
export const DEMO_FOLLOW_UP_TITLE = "Additional victim-identification training for officers in Bimini and Grand Bahama";

/** The request the upcoming Freeport follow-up training answers (already scheduled). */
export const DEMO_SCHEDULED_FOLLOW_UP_TITLE = "Follow-up victim-identification training for immigration officers in Freeport";

export const DEMO_CONSENT_WORDING =
  "I agree to the processing of my personal data for the organisation of this training.";

const NASSAU = "America/Nassau";
const BAHRAIN = "Asia/Bahrain";
const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Dates

/** An instant from a wall-clock time in a zone: `local("America/Nassau", "2023-08-09", "09:00")`. */
function local(zone: string, date: string, time: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, zone).getTime());
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
function dayIn(zone: string, instant: Date): string {
  const d = new TZDate(instant.getTime(), zone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A UTC calendar date (YYYY-MM-DD) `days` after the UTC date of `from`. */
function utcDatePlus(from: Date, days: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

/** The calendar date `days` after a YYYY-MM-DD date. */
function datePlus(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A fixed instant, written as UTC: `at("2023-08-21T14:05")`. */
function at(isoUtc: string): Date {
  return new Date(`${isoUtc}:00Z`);
}

// ---------------------------------------------------------------------------------------------
// Rosters

type PersonSpec = {
  given: string;
  family: string;
  sex: Sex;
  roleCategory: RoleCategory;
  position: string;
};

const P = (given: string, family: string, sex: Sex, roleCategory: RoleCategory, position: string): PersonSpec => ({
  given,
  family,
  sex,
  roleCategory,
  position,
});

/** The officers of the Bahamas victim-identification training; index 0 is participant@example.org. */
const VICTIM_ID_OFFICERS: PersonSpec[] = [
  P("Shavonne", "Rolle", "female", "immigration_officer", "Grade 1 Immigration Officer"),
  P("Dario", "Knowles", "male", "immigration_officer", "Immigration Officer II"),
  P("Latoya", "Ferguson", "female", "border_officer", "Border Control Officer"),
  P("Kendall", "Pinder", "male", "port_specialist", "Port Inspection Officer, Nassau Cruise Port"),
  P("Tamika", "Sands", "female", "social_worker", "Welfare Officer, Detention Centre"),
  P("Marvin", "Cartwright", "male", "police_specialist", "Investigations Liaison Officer"),
  P("Deandra", "Moss", "female", "immigration_officer", "Senior Immigration Officer"),
  P("Jamal", "Strachan", "male", "border_officer", "Border Control Officer"),
  P("Patrice", "Adderley", "female", "immigration_officer", "Immigration Officer I"),
  P("Theron", "Bain", "male", "port_specialist", "Port Inspection Officer, Lynden Pindling International Airport"),
  P("Keisha", "Munroe", "female", "immigration_officer", "Immigration Officer II"),
  P("Andre", "Darville", "male", "police_specialist", "Enforcement Unit Officer"),
  P("Nadia", "Seymour", "female", "border_officer", "Border Control Officer"),
  P("Rashad", "Higgs", "male", "immigration_officer", "Immigration Officer I"),
  P("Crystal", "Deveaux", "female", "social_worker", "Case Officer, Trafficking in Persons Unit"),
  P("Lamont", "Butler", "male", "port_specialist", "Maritime Port Officer"),
  P("Sheena", "Outten", "female", "immigration_officer", "Immigration Officer I"),
  P("Vaughn", "Saunders", "male", "immigration_officer", "Assistant Immigration Supervisor"),
  P("Antonia", "Newbold", "female", "police_specialist", "Enforcement Unit Officer"),
  P("Travis", "McKenzie", "male", "border_officer", "Border Control Officer"),
  P("Giselle", "Thompson", "female", "immigration_officer", "Immigration Officer II"),
  P("Omar", "Lightbourne", "male", "port_specialist", "Port Inspection Officer"),
];

/** Officers of the victim-identification training (indexes) in the training in progress today; 0 is the demo participant. None took "Essentials" (ESSENTIALS_RETURNING). */
const CURRENT_OFFICERS = [0, 3, 4, 7, 8, 9, 12, 15, 18, 20];
/** … and in the training that ended 31 days ago (none of those who also took "Essentials"). */
const RECENT_OFFICERS = [0, 3, 5, 8, 10, 12, 13, 16, 19, 21];

/** Officers of the victim-identification training who also took "Essentials of Migration Management". */
const ESSENTIALS_RETURNING = [1, 2, 6, 11, 14, 17];

const ESSENTIALS_NEW_OFFICERS: PersonSpec[] = [
  P("Cordell", "Johnson", "male", "immigration_officer", "Immigration Officer I"),
  P("Monique", "Russell", "female", "policy_officer", "Policy Analyst, Policy and Planning Unit"),
  P("Bradley", "Symonette", "male", "border_officer", "Border Control Officer"),
  P("Alexis", "Wells", "female", "immigration_officer", "Immigration Officer II"),
  P("Jerome", "Curry", "male", "immigration_officer", "Senior Immigration Officer"),
  P("Simone", "Gibson", "female", "immigration_officer", "Immigration Officer I"),
  P("Dwayne", "Poitier", "male", "police_specialist", "Enforcement Unit Officer"),
  P("Kristin", "Major", "female", "policy_officer", "Assistant Director, Policy and Planning Unit"),
  P("Lionel", "Woodside", "male", "port_specialist", "Port Inspection Officer"),
  P("Renae", "Miller", "female", "immigration_officer", "Immigration Officer I"),
];

const JOURNALISTS: PersonSpec[] = [
  P("Candace", "Fox", "female", "journalist", "Senior Reporter"),
  P("Ricardo", "Kemp", "male", "journalist", "News Anchor"),
  P("Jasmine", "Taylor", "female", "journalist", "Producer"),
  P("Philip", "Albury", "male", "journalist", "Video Journalist"),
  P("Tiffany", "Hepburn", "female", "journalist", "Reporter"),
  P("Garth", "Bowe", "male", "journalist", "Radio Presenter"),
  P("Sasha", "Clarke", "female", "journalist", "Digital Editor"),
  P("Desmond", "Roberts", "male", "journalist", "Reporter"),
  P("Ingrid", "Mortimer", "female", "journalist", "Assignment Editor"),
  P("Nathaniel", "Brennen", "male", "journalist", "Photojournalist"),
];

const BAHRAIN_OFFICERS: PersonSpec[] = [
  P("Ahmed", "Al Mahmood", "male", "research_officer", "Research Officer, Nationality, Passports and Residence Affairs"),
  P("Fatima", "Janahi", "female", "research_officer", "Research Officer"),
  P("Hussain", "Al Aradi", "male", "port_specialist", "Port Specialist, Bahrain International Airport"),
  P("Maryam", "Al Sayed", "female", "research_officer", "Senior Research Officer"),
  P("Khalid", "Bucheeri", "male", "police_specialist", "Police Specialist, Residence Affairs"),
  P("Noora", "Al Mannai", "female", "port_specialist", "Port Specialist, Khalifa bin Salman Port"),
  P("Yousif", "Al Doseri", "male", "police_specialist", "Police Specialist"),
  P("Zainab", "Al Shehabi", "female", "research_officer", "Research Officer"),
  P("Abdulla", "Fakhro", "male", "port_specialist", "Port Specialist, King Fahad Causeway"),
  P("Hessa", "Al Jalahma", "female", "police_specialist", "Police Specialist"),
  P("Ebrahim", "Al Ansari", "male", "research_officer", "Research Officer"),
  P("Sara", "Al Hashimi", "female", "port_specialist", "Port Specialist, Bahrain International Airport"),
  P("Jassim", "Al Buainain", "male", "police_specialist", "Police Specialist, Anti-Trafficking Unit"),
  P("Latifa", "Al Qassab", "female", "research_officer", "Research Officer"),
  P("Salman", "Al Bastaki", "male", "port_specialist", "Port Specialist"),
  P("Amal", "Matar", "female", "police_specialist", "Police Specialist"),
  P("Hamad", "Al Noaimi", "male", "police_specialist", "Police Specialist, Anti-Trafficking Unit"),
  P("Reem", "Al Binali", "female", "research_officer", "Research Officer"),
];

/** Officers from Grand Bahama and Bimini registered for the upcoming follow-up training. */
const FOLLOW_UP_OFFICERS: { spec: PersonSpec; status: RegistrationStatus; byPartner: boolean }[] = [
  { spec: P("Cheryl", "Grant", "female", "immigration_officer", "Immigration Officer I, Freeport"), status: "confirmed", byPartner: true },
  {
    spec: P("Kirk", "Rahming", "male", "border_officer", "Border Control Officer, Grand Bahama International Airport"),
    status: "confirmed",
    byPartner: true,
  },
  { spec: P("Lynette", "Wilchcombe", "female", "port_specialist", "Port Officer, Freeport Harbour"), status: "applied", byPartner: false },
  { spec: P("Dexter", "Hield", "male", "immigration_officer", "Immigration Officer II, Bimini"), status: "nominated", byPartner: true },
  { spec: P("Ava", "Swain", "female", "immigration_officer", "Immigration Officer I, Bimini"), status: "nominated", byPartner: true },
];

function emailFor(spec: PersonSpec, domain: string): string {
  const part = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z]/g, "");
  return `${part(spec.given)}.${part(spec.family)}@${domain}`;
}

// ---------------------------------------------------------------------------------------------
// Timetables and attendance

type SessionSpec = { date: string; start: string; end: string; title: string; kind: SessionKind };

const BAHAMAS_SLOTS = [
  ["09:00", "10:30"],
  ["10:45", "12:15"],
  ["13:15", "14:45"],
  ["15:00", "16:30"],
] as const;

const BAHRAIN_SLOTS = [
  ["08:30", "10:00"],
  ["10:15", "11:45"],
  ["12:15", "13:45"],
] as const;

function timetable(
  days: string[],
  slots: readonly (readonly [string, string])[],
  items: [string, SessionKind][],
): SessionSpec[] {
  return items.map(([title, kind], i) => {
    const day = days[Math.floor(i / slots.length)];
    const [start, end] = slots[i % slots.length];
    return { date: day, start, end, title, kind };
  });
}

/** How many sessions someone must miss to fall below the completion threshold. */
function missesToFail(sessions: number, threshold: number): number {
  const needed = Math.ceil((threshold * sessions) / 100);
  return sessions - needed + 1;
}

/**
 * A fixed attendance pattern for participant `i` of `n` sessions:
 * - `perfect`: present at every session;
 * - `failing`: misses just enough sessions to stay under the threshold (in one of three shapes);
 * - otherwise mostly present, the odd late arrival, and at most one missed session.
 */
function attendancePattern(
  i: number,
  n: number,
  options: { perfect: boolean; failing: boolean; threshold: number },
): AttendanceStatus[] {
  const statuses: AttendanceStatus[] = Array.from({ length: n }, () => "present");
  if (options.perfect) return statuses;
  if (options.failing) {
    const misses = missesToFail(n, options.threshold);
    for (let k = 0; k < misses; k++) {
      switch (i % 3) {
        case 0: // left early on the last day
          statuses[n - 1 - k] = "absent";
          break;
        case 1: // arrived a day late
          statuses[k] = "absent";
          break;
        default: // scattered, one of them excused
          statuses[(1 + 3 * k) % n] = k === 0 ? "excused" : "absent";
      }
    }
    return statuses;
  }
  for (let s = 0; s < n; s++) if ((i * 7 + s * 3) % 11 === 0) statuses[s] = "late";
  if (i % 5 === 2) statuses[(i * 3) % n] = i % 10 === 7 ? "excused" : "absent";
  return statuses;
}

// ---------------------------------------------------------------------------------------------

type DemoEmail = (typeof DEMO_ACCOUNTS)[number]["email"];

async function insertPerson(
  tx: Tx,
  spec: PersonSpec,
  extra: { email: string; organisationId: number | null; nationality: string | null; phone?: string; userId?: string },
) {
  return (await tx
    .insert(people)
    .values({
      givenName: spec.given,
      familyName: spec.family,
      email: extra.email.toLowerCase(),
      phone: extra.phone ?? null,
      sex: spec.sex,
      organisationId: extra.organisationId,
      position: spec.position,
      roleCategory: spec.roleCategory,
      nationality: extra.nationality,
      userId: extra.userId ?? null,
    })
    .returning())[0];
}

async function insertSessions(
  tx: Tx,
  eventId: number,
  zone: string,
  room: string,
  specs: SessionSpec[],
  facilitator: (index: number, spec: SessionSpec) => { userId: string } | { personId: number } | null,
) {
  return await Promise.all(specs.map(async (spec, index) => {
    const row = (await tx
      .insert(eventSessions)
      .values({
        eventId,
        title: spec.title,
        kind: spec.kind,
        startsAt: local(zone, spec.date, spec.start),
        endsAt: local(zone, spec.date, spec.end),
        room,
      })
      .returning())[0];
    const who = facilitator(index, spec);
    if (who) {
      await tx.insert(sessionFacilitators)
        .values({
          sessionId: row.id,
          userId: "userId" in who ? who.userId : null,
          personId: "personId" in who ? who.personId : null,
        });
    }
    return row;
  }));
}

async function register(
  tx: Tx,
  values: {
    eventId: number;
    personId: number;
    eventRole?: EventRole;
    status: RegistrationStatus;
    at: Date;
    nominatedByUserId?: string | null;
    note?: string;
  },
) {
  return (await tx
    .insert(registrations)
    .values({
      eventId: values.eventId,
      personId: values.personId,
      eventRole: values.eventRole ?? "participant",
      status: values.status,
      nominatedByUserId: values.nominatedByUserId ?? null,
      statusChangedAt: values.at,
      note: values.note ?? null,
      createdAt: values.at,
      updatedAt: values.at,
    })
    .returning())[0];
}

/** Attendance of every registration at every session, following `attendancePattern`. */
async function recordAttendance(
  tx: Tx,
  registrationIds: number[],
  sessions: { id: number; endsAt: Date }[],
  options: { threshold: number; perfect: Set<number>; failing: Set<number>; recordedByUserId: string },
) {
  for (const [i, registrationId] of registrationIds.entries()) {
    const pattern = attendancePattern(i, sessions.length, {
      perfect: options.perfect.has(i),
      failing: options.failing.has(i),
      threshold: options.threshold,
    });
    for (const [s, session] of sessions.entries()) {
      await tx.insert(attendance)
        .values({
          registrationId,
          sessionId: session.id,
          status: pattern[s],
          method: "manual",
          recordedByUserId: options.recordedByUserId,
          recordedAt: session.endsAt,
          createdAt: session.endsAt,
          updatedAt: session.endsAt,
        });
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Load the demo data unless it is already there (the demo admin account exists).
 * `today` fixes the upcoming and draft events' dates (tests); it defaults to now.
 */
export async function seedDemo(db: DB, options: { today?: Date } = {}): Promise<{ created: boolean }> {
  if ((await demoPresent(db))) return { created: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const today = options.today ?? new Date();

  const created = await db.transaction(
    async (tx) => {
      if ((await demoPresent(tx))) return false;
      await seedAll(tx, passwordHash, today);
      await seedCertificates(tx, [DEMO_EVENTS.recent]);
      await seedDemoEvaluation(tx, { victimIdentification: DEMO_EVENTS.victimIdentification, current: DEMO_EVENTS.current }, today);
      // the mark that lets the demo accounts keep their refused `demo-password` (second-factor.server.ts)
      await tx.insert(appSettings).values({ key: DEMO_DATA_SETTING, value: "1" }).onConflictDoNothing();
      return true;
    },
    { behavior: "immediate" },
  );
  if (created) await seedDemoSecondFactors(db);
  return { created };
}

/**
 * The demo administrator and coordinator get their (fixed, printed) second factor, already
 * confirmed (also on the scale generator's data, which signs in with the demo accounts).
 */
export async function seedDemoSecondFactors(db: DB) {
  const key = base32ToBytes(DEMO_TOTP_SECRET);
  for (const email of DEMO_SECOND_FACTOR_ACCOUNTS) {
    const user = firstRow(await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1));
    if (!user) continue;
    // every value given: the scale generator writes SQLite from a process whose tables may have
    // been built for PostgreSQL (its test in `npm run test:postgres`), whose default for the
    // timestamps is PostgreSQL's SQL
    const at = new Date();
    await db.insert(secondFactors)
      .values({ userId: user.id, secret: await encryptSecret(db, user.id, key), confirmedAt: at, lastUsedStep: null, createdAt: at, updatedAt: at })
      .onConflictDoNothing();
  }
}

async function demoPresent(db: Pick<DB, "select">): Promise<boolean> {
  return (
    firstRow(await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS[0].email)).limit(1)) !== undefined
  );
}

async function seedAll(tx: Tx, passwordHash: string, today: Date) {
  // --- Organisations --------------------------------------------------------------------------
  const org = async (values: typeof organisations.$inferInsert) => (await tx.insert(organisations).values(values).returning())[0];
  const prm = await org({ name: DEMO_ORGANISATIONS.prm, acronym: "PRM", kind: "donor", country: "US" });
  const gulfFund = await org({ name: DEMO_ORGANISATIONS.gulfFund, acronym: "GPF", kind: "donor", country: null });
  const bsImmigration = await org({ name: DEMO_ORGANISATIONS.bahamasImmigration, acronym: null, kind: "government_partner", country: "BS" });
  const bhInterior = await org({ name: DEMO_ORGANISATIONS.bahrainInterior, acronym: "MOI", kind: "government_partner", country: "BH" });
  const office = await org({ name: DEMO_ORGANISATIONS.implementingOffice, acronym: null, kind: "implementing_office", country: "BS" });
  const media = await org({ name: DEMO_ORGANISATIONS.media, acronym: "NBN", kind: "media", country: "BS" });

  // --- Programmes -------------------------------------------------------------------------------
  const whp = (await tx
    .insert(programmes)
    .values({
      name: DEMO_PROGRAMMES.westernHemisphere,
      code: "WHP",
      description:
        "Regional programme strengthening migration governance and the protection of migrants in vulnerable situations in the Caribbean.",
      startDate: "2022-10-01",
    })
    .returning())[0];
  const gulf = (await tx
    .insert(programmes)
    .values({
      name: DEMO_PROGRAMMES.gulf,
      code: "GCTP",
      description:
        "Partnership with Gulf governments on counter-trafficking: curriculum development, training of immigration officials and a regional centre of excellence on combatting trafficking in persons.",
      startDate: "2023-06-01",
    })
    .returning())[0];
  await tx.insert(programmeFunding).values({ programmeId: whp.id, donorOrganisationId: prm.id });
  await tx.insert(programmeFunding).values({ programmeId: gulf.id, donorOrganisationId: gulfFund.id });

  // --- Users ------------------------------------------------------------------------------------
  const orgOf: Record<DemoEmail, number | null> = {
    "admin@example.org": null,
    "coordinator@example.org": office.id,
    "facilitator@example.org": office.id,
    "participant@example.org": bsImmigration.id,
    "partner@example.org": bsImmigration.id,
    "donor@example.org": prm.id,
  };
  const userIds = {} as Record<DemoEmail, string>;
  for (const account of DEMO_ACCOUNTS) {
    const id = newUserId();
    await tx.insert(users)
      .values({
        id,
        email: account.email,
        name: account.name,
        role: account.role,
        passwordHash,
        organisationId: orgOf[account.email],
      });
    userIds[account.email] = id;
  }
  const coordinatorId = userIds["coordinator@example.org"];
  const facilitatorId = userIds["facilitator@example.org"];
  const participantId = userIds["participant@example.org"];
  const partnerId = userIds["partner@example.org"];
  const coordinator = DEMO_ACCOUNTS[1];

  // --- People -----------------------------------------------------------------------------------
  const bsDomain = "immigration.gov.bs.example";
  const victimIdPeople = await Promise.all(VICTIM_ID_OFFICERS.map(async (spec, i) =>
    await insertPerson(tx, spec, {
      email: i === 0 ? "participant@example.org" : emailFor(spec, bsDomain),
      organisationId: bsImmigration.id,
      nationality: "BS",
      phone: `+1 242 555 01${String(10 + i).padStart(2, "0")}`,
      userId: i === 0 ? participantId : undefined,
    }),
  ));
  const demoParticipant = victimIdPeople[0];
  const essentialsNewPeople = await Promise.all(ESSENTIALS_NEW_OFFICERS.map(async (spec) =>
    await insertPerson(tx, spec, { email: emailFor(spec, bsDomain), organisationId: bsImmigration.id, nationality: "BS" }),
  ));
  const journalists = await Promise.all(JOURNALISTS.map(async (spec) =>
    await insertPerson(tx, spec, { email: emailFor(spec, "nbn.bs.example"), organisationId: media.id, nationality: "BS" }),
  ));
  const bahrainPeople = await Promise.all(BAHRAIN_OFFICERS.map(async (spec, i) =>
    await insertPerson(tx, spec, {
      email: emailFor(spec, "interior.gov.bh.example"),
      organisationId: bhInterior.id,
      nationality: "BH",
      phone: `+973 3600 ${String(1100 + i)}`,
    }),
  ));
  const followUpPeople = await Promise.all(FOLLOW_UP_OFFICERS.map(async ({ spec }) =>
    await insertPerson(tx, spec, { email: emailFor(spec, bsDomain), organisationId: bsImmigration.id, nationality: "BS" }),
  ));
  const facilitatorPerson = await insertPerson(
    tx,
    P("Tomás", "Herrera", "male", "other", "Protection and counter-trafficking trainer"),
    { email: "facilitator@example.org", organisationId: office.id, nationality: "CR", userId: facilitatorId },
  );
  const migrationTrainer = await insertPerson(tx, P("Camila", "Ortega", "female", "other", "Migration management trainer"), {
    email: "camila.ortega@convene.example",
    organisationId: office.id,
    nationality: "CO",
  });
  const mediaTrainer = await insertPerson(tx, P("Julian", "Mercer", "male", "journalist", "Media and human rights trainer"), {
    email: "julian.mercer@convene.example",
    organisationId: office.id,
    nationality: "JM",
  });
  const bahrainTrainer = await insertPerson(tx, P("Layla", "Haddad", "female", "other", "Regional counter-trafficking specialist"), {
    email: "layla.haddad@convene.example",
    organisationId: office.id,
    nationality: "JO",
  });

  const eventBase = {
    contactName: coordinator.name,
    contactEmail: coordinator.email,
    createdByUserId: coordinatorId,
  };

  // --- a) Essentials of Migration Management (26–28 July 2023) ----------------------------------
  {
    const days = ["2023-07-26", "2023-07-27", "2023-07-28"];
    const event = (await tx
      .insert(events)
      .values({
        ...eventBase,
        title: DEMO_EVENTS.essentials,
        type: "training",
        description:
          "Three-day introduction to migration management for government officers: migration governance, international law, border management, migrants in vulnerable situations.",
        programmeId: whp.id,
        country: "BS",
        locality: "New Providence",
        venue: "Harbour View Hotel, Conference Room B, Bay Street, Nassau",
        timeZone: NASSAU,
        startDate: days[0],
        endDate: days[2],
        capacity: 20,
        targetRoles: ["immigration_officer", "border_officer", "police_specialist", "policy_officer"],
        topics: [
          "Migration governance",
          "International migration law",
          "Integrated border management",
          "Migrants in vulnerable situations",
        ],
        status: "reported",
        createdAt: at("2023-06-20T14:00"),
        updatedAt: at("2023-08-15T15:00"),
      })
      .returning())[0];
    await tx.insert(eventPartners).values({ eventId: event.id, organisationId: bsImmigration.id });
    for (const objectiveId of [11, 12]) await tx.insert(eventGcmObjectives).values({ eventId: event.id, objectiveId });
    const sessions = await insertSessions(
      tx,
      event.id,
      NASSAU,
      "Conference Room B",
      timetable(days, BAHAMAS_SLOTS, [
        ["Opening and programme overview", "opening"],
        ["Migration governance: actors and frameworks", "presentation"],
        ["International migration law", "presentation"],
        ["Rights of migrants: case discussion", "discussion"],
        ["Integrated border management", "presentation"],
        ["Document examination basics", "exercise"],
        ["Mixed movements and irregular migration", "presentation"],
        ["Migrants in vulnerable situations", "presentation"],
        ["Screening and referral", "exercise"],
        ["Data for migration policy", "presentation"],
        ["Group work: a national migration picture", "group_work"],
        ["Evaluation and closing", "discussion"],
      ]),
      () => ({ personId: migrationTrainer.id }),
    );
    await register(tx, {
      eventId: event.id,
      personId: migrationTrainer.id,
      eventRole: "facilitator",
      status: "confirmed",
      at: at("2023-07-03T15:00"),
    });
    const roster = [...ESSENTIALS_RETURNING.map((i) => victimIdPeople[i]), ...essentialsNewPeople];
    const regs = await Promise.all(roster.map(async (person) =>
      await register(tx, { eventId: event.id, personId: person.id, status: "confirmed", at: at("2023-07-14T15:00") }),
    ));
    await recordAttendance(
      tx,
      regs.map((r) => r.id),
      sessions,
      { threshold: 80, perfect: new Set(), failing: new Set([9]), recordedByUserId: coordinatorId },
    );
  }

  // --- b) Media Training on Migration and Human Rights (8–9 August 2023) --------------------------
  {
    const days = ["2023-08-08", "2023-08-09"];
    const event = (await tx
      .insert(events)
      .values({
        ...eventBase,
        title: DEMO_EVENTS.media,
        type: "media_training",
        description:
          "Two-day training for journalists on reporting on migration and human rights: terminology, ethics, and reporting on trafficking survivors without causing harm.",
        programmeId: whp.id,
        country: "BS",
        locality: "New Providence",
        venue: "Harbour View Hotel, Salon Lucayan, Bay Street, Nassau",
        timeZone: NASSAU,
        startDate: days[0],
        endDate: days[1],
        capacity: 15,
        targetRoles: ["journalist"],
        topics: [
          "Migration terminology",
          "Human rights of migrants",
          "Ethical reporting on trafficking survivors",
          "Countering misinformation",
        ],
        status: "reported",
        createdAt: at("2023-06-28T14:00"),
        updatedAt: at("2023-08-22T15:00"),
      })
      .returning())[0];
    await tx.insert(eventPartners).values({ eventId: event.id, organisationId: media.id });
    for (const objectiveId of [7, 17]) await tx.insert(eventGcmObjectives).values({ eventId: event.id, objectiveId });
    const sessions = await insertSessions(
      tx,
      event.id,
      NASSAU,
      "Salon Lucayan",
      timetable(days, BAHAMAS_SLOTS, [
        ["Opening: why words matter", "opening"],
        ["Migration terminology and data", "presentation"],
        ["Human rights of migrants", "presentation"],
        ["Newsroom exercise: rewriting headlines", "exercise"],
        ["Reporting on trafficking survivors: do no harm", "presentation"],
        ["Interviewing survivors ethically", "exercise"],
        ["Countering misinformation about migration", "discussion"],
        ["Story planning and closing", "group_work"],
      ]),
      () => ({ personId: mediaTrainer.id }),
    );
    await register(tx, {
      eventId: event.id,
      personId: mediaTrainer.id,
      eventRole: "facilitator",
      status: "confirmed",
      at: at("2023-07-10T15:00"),
    });
    const regs = await Promise.all(journalists.map(async (person) =>
      await register(tx, { eventId: event.id, personId: person.id, status: "confirmed", at: at("2023-07-28T15:00") }),
    ));
    await recordAttendance(
      tx,
      regs.map((r) => r.id),
      sessions,
      { threshold: 80, perfect: new Set(), failing: new Set([4]), recordedByUserId: coordinatorId },
    );
  }

  // --- c) Identification and Protection of Victims of Trafficking (9–10 August 2023) -------------
  const days = ["2023-08-09", "2023-08-10"];
  const victimId = (await tx
    .insert(events)
    .values({
      ...eventBase,
      title: DEMO_EVENTS.victimIdentification,
      type: "training",
      description:
        "Two-day training with the Bahamas Department of Immigration for frontline officers on New Providence: key concepts, indicators of trafficking and vulnerability, trauma-informed interview techniques and referral. Participants develop action plans to bring the content into their daily work.",
      programmeId: whp.id,
      country: "BS",
      locality: "New Providence",
      venue: "Harbour View Hotel, Conference Room A, Bay Street, Nassau",
      timeZone: NASSAU,
      startDate: days[0],
      endDate: days[1],
      capacity: 25,
      targetRoles: ["immigration_officer", "border_officer", "police_specialist", "port_specialist", "social_worker"],
      topics: [
        "Key concepts: trafficking in persons, smuggling of migrants, vulnerability",
        "Indicators of trafficking and vulnerability",
        "Trauma-informed interview techniques",
        "Operational tools for identification",
        "Referral through the national referral mechanism",
      ],
      status: "completed",
      completionThreshold: 80,
      requiresApproval: true,
      consentText: DEMO_CONSENT_WORDING,
      createdAt: at("2023-07-05T14:00"),
      updatedAt: at("2023-08-11T20:00"),
    })
    .returning())[0];
  await tx.insert(eventPartners).values({ eventId: victimId.id, organisationId: bsImmigration.id });
  for (const objectiveId of [7, 10, 11]) await tx.insert(eventGcmObjectives).values({ eventId: victimId.id, objectiveId });
  const victimIdSessions = await insertSessions(
    tx,
    victimId.id,
    NASSAU,
    "Conference Room A",
    timetable(days, BAHAMAS_SLOTS, [
      ["Opening: trafficking in persons is a global issue", "opening"],
      ["Key concepts: trafficking, smuggling and vulnerability", "presentation"],
      ["Indicators of trafficking and vulnerability at the border", "presentation"],
      ["Case studies: spotting the indicators", "exercise"],
      ["Trauma-informed interview techniques", "presentation"],
      ["Interview simulation", "exercise"],
      ["Operational tools and the national referral mechanism", "presentation"],
      ["Action planning: bringing the training into daily work", "group_work"],
    ]),
    // The facilitator teaches everything but the opening, given by the Department's leadership.
    (index) => (index === 0 ? null : { userId: facilitatorId }),
  );
  await register(tx, {
    eventId: victimId.id,
    personId: facilitatorPerson.id,
    eventRole: "facilitator",
    status: "confirmed",
    at: at("2023-07-12T15:00"),
  });
  const victimIdRegs = await Promise.all(victimIdPeople.map(async (person, i) =>
    await register(tx, {
      eventId: victimId.id,
      personId: person.id,
      status: "confirmed",
      nominatedByUserId: partnerId,
      at: at(`2023-08-0${1 + (i % 3)}T14:30`),
    }),
  ));
  await recordAttendance(
    tx,
    victimIdRegs.map((r) => r.id),
    victimIdSessions,
    { threshold: 80, perfect: new Set([0]), failing: new Set([7, 15, 20]), recordedByUserId: facilitatorId },
  );
  for (const [i, person] of victimIdPeople.entries()) {
    await tx.insert(consents)
      .values({
        personId: person.id,
        eventId: victimId.id,
        wording: DEMO_CONSENT_WORDING,
        givenAt: at(`2023-08-0${1 + (i % 3)}T14:30`),
      });
  }

  // Action plans
  const plan = async (values: { title: string; status: "draft" | "submitted"; submittedAt: Date | null; members: number[]; createdAt: Date }) => {
    const row = (await tx
      .insert(actionPlans)
      .values({
        eventId: victimId.id,
        title: values.title,
        status: values.status,
        submittedAt: values.submittedAt,
        createdAt: values.createdAt,
        updatedAt: values.submittedAt ?? values.createdAt,
      })
      .returning())[0];
    for (const personId of values.members) await tx.insert(actionPlanMembers).values({ planId: row.id, personId });
    return row;
  };
  const item = async (
    planId: number,
    position: number,
    values: {
      action: string;
      targetDate: string;
      responsible: string;
      indicator: string;
      status: ActionItemStatus;
      validatedAt?: Date;
      validatedByUserId?: string;
      createdAt: Date;
    },
  ) =>
    (await tx
      .insert(actionPlanItems)
      .values({
        planId,
        position,
        action: values.action,
        targetDate: values.targetDate,
        responsible: values.responsible,
        indicator: values.indicator,
        status: values.status,
        validatedAt: values.validatedAt ?? null,
        validatedByUserId: values.validatedByUserId ?? null,
        createdAt: values.createdAt,
        updatedAt: values.validatedAt ?? values.createdAt,
      })
      .returning())[0];

  const ownPlan = await plan({
    title: "Bringing victim identification into port operations",
    status: "submitted",
    submittedAt: at("2023-08-18T15:20"),
    members: [demoParticipant.id],
    createdAt: at("2023-08-10T20:10"),
  });
  const briefing = await item(ownPlan.id, 0, {
    action: "Brief my shift team on the key indicators of trafficking and vulnerability",
    targetDate: "2023-09-15",
    responsible: "Grade 1 Immigration Officer (myself)",
    indicator: "12 officers of the shift briefed; attendance sheet filed",
    status: "done",
    validatedAt: at("2023-09-25T13:40"),
    validatedByUserId: partnerId,
    createdAt: at("2023-08-10T20:10"),
  });
  const referral = await item(ownPlan.id, 1, {
    action: "Integrate the national referral mechanism into daily port procedures",
    targetDate: "2023-12-31",
    responsible: "Shift supervisor, with the Trafficking in Persons Unit",
    indicator: "Referral checklist used for every secondary-inspection case",
    status: "in_progress",
    createdAt: at("2023-08-10T20:10"),
  });
  await item(ownPlan.id, 2, {
    action: "Use trauma-informed interview techniques in secondary-inspection interviews",
    targetDate: "2024-03-31",
    responsible: "Grade 1 Immigration Officer (myself)",
    indicator: "Interview guide adopted by the unit; two peer reviews per quarter",
    status: "planned",
    createdAt: at("2023-08-10T20:10"),
  });
  const update = async (itemId: number, note: string, statusAfter: ActionItemStatus, createdAt: Date) =>
    await tx.insert(actionPlanUpdates).values({ itemId, authorUserId: participantId, note, statusAfter, createdAt });
  await update(
    briefing.id,
    "Briefed 12 officers of my shift at the Nassau Cruise Port using the training slides; attendance sheet sent to the supervisor.",
    "done",
    at("2023-09-12T21:15"),
  );
  await update(
    referral.id,
    "Drafted a one-page referral checklist based on the national referral mechanism forms and shared it with my supervisor for comments.",
    "in_progress",
    at("2023-10-06T18:30"),
  );
  await update(
    referral.id,
    "The Trafficking in Persons Unit reviewed the checklist; it is being trialled on the morning shift.",
    "in_progress",
    at("2023-11-20T16:45"),
  );
  await tx.insert(actionPlanComments)
    .values({
      planId: ownPlan.id,
      authorUserId: coordinatorId,
      body: "Clear and realistic plan. For the referral checklist, please agree the wording with the Trafficking in Persons Unit so that it matches the national referral mechanism forms.",
      createdAt: at("2023-08-25T14:05"),
    });

  const airportPlan = await plan({
    title: "Indicators of trafficking at the airport arrivals hall",
    status: "submitted",
    submittedAt: at("2023-08-21T13:00"),
    members: [victimIdPeople[9].id],
    createdAt: at("2023-08-10T20:20"),
  });
  await item(airportPlan.id, 0, {
    action: "Put up the indicator poster in the secondary-inspection area at Lynden Pindling International Airport",
    targetDate: "2023-09-30",
    responsible: "Port Inspection Officer",
    indicator: "Posters displayed in both inspection rooms",
    status: "done",
    createdAt: at("2023-08-10T20:20"),
  });
  await item(airportPlan.id, 1, {
    action: "Share two anonymised case examples per quarter with colleagues",
    targetDate: "2024-06-30",
    responsible: "Port Inspection Officer",
    indicator: "Case examples presented at shift meetings",
    status: "in_progress",
    createdAt: at("2023-08-10T20:20"),
  });

  const welfarePlan = await plan({
    title: "Trauma-informed care at the detention centre",
    status: "submitted",
    submittedAt: at("2023-08-24T15:30"),
    members: [victimIdPeople[4].id, victimIdPeople[14].id],
    createdAt: at("2023-08-10T20:30"),
  });
  await item(welfarePlan.id, 0, {
    action: "Set up a private interview space for people showing signs of trafficking",
    targetDate: "2023-11-30",
    responsible: "Welfare Officer and Case Officer",
    indicator: "Room available and used for first interviews",
    status: "blocked",
    createdAt: at("2023-08-10T20:30"),
  });
  await item(welfarePlan.id, 1, {
    action: "Train detention-centre staff on trauma-informed first contact",
    targetDate: "2024-01-31",
    responsible: "Case Officer, Trafficking in Persons Unit",
    indicator: "All shift leaders trained",
    status: "planned",
    createdAt: at("2023-08-10T20:30"),
  });

  const draftPlan = await plan({
    title: "Referral at the border control desk",
    status: "draft",
    submittedAt: null,
    members: [victimIdPeople[12].id],
    createdAt: at("2023-08-10T20:40"),
  });
  await item(draftPlan.id, 0, {
    action: "Keep the referral contact list at every border control desk",
    targetDate: "2023-10-31",
    responsible: "Border Control Officer",
    indicator: "Contact list at all desks of the terminal",
    status: "planned",
    createdAt: at("2023-08-10T20:40"),
  });

  // --- d) Bahrain: Counter-Trafficking Training for Immigration Officials -----------------------
  {
    const days = ["2024-02-20", "2024-02-21", "2024-02-22"];
    const event = (await tx
      .insert(events)
      .values({
        ...eventBase,
        title: DEMO_EVENTS.bahrain,
        type: "training",
        description:
          "First counter-trafficking training organised with the Ministry of Interior, to help immigration officials identify and respond to potential situations of human trafficking.",
        programmeId: gulf.id,
        country: "BH",
        locality: "Manama",
        venue: "Ministry of Interior Training Hall, Manama",
        timeZone: BAHRAIN,
        startDate: days[0],
        endDate: days[2],
        capacity: 20,
        targetRoles: ["research_officer", "port_specialist", "police_specialist"],
        topics: [
          "Key indicators of vulnerability and exploitation",
          "Confirming initial suspicions of trafficking",
          "Reporting to competent authorities through the National Referral Mechanism",
          "Trauma-informed and victim-centred approaches to care",
        ],
        status: "completed",
        consentText: DEMO_CONSENT_WORDING,
        createdAt: at("2024-01-10T08:00"),
        updatedAt: at("2024-02-25T09:00"),
      })
      .returning())[0];
    await tx.insert(eventPartners).values({ eventId: event.id, organisationId: bhInterior.id });
    for (const objectiveId of [7, 10, 23]) await tx.insert(eventGcmObjectives).values({ eventId: event.id, objectiveId });
    const sessions = await insertSessions(
      tx,
      event.id,
      BAHRAIN,
      "Training Hall 1",
      timetable(days, BAHRAIN_SLOTS, [
        ["Opening and introduction to trafficking in persons", "opening"],
        ["Key indicators of vulnerability and exploitation", "presentation"],
        ["Indicators in practice: case studies", "exercise"],
        ["Confirming initial suspicions of trafficking", "presentation"],
        ["Screening interviews", "exercise"],
        ["The National Referral Mechanism: reporting to competent authorities", "presentation"],
        ["Trauma-informed and victim-centred approaches", "presentation"],
        ["Protecting victims from further harm: role play", "exercise"],
        ["Group work and closing", "group_work"],
      ]),
      () => ({ personId: bahrainTrainer.id }),
    );
    await register(tx, {
      eventId: event.id,
      personId: bahrainTrainer.id,
      eventRole: "facilitator",
      status: "confirmed",
      at: at("2024-01-20T08:00"),
    });
    const regs = await Promise.all(bahrainPeople.map(async (person) =>
      await register(tx, { eventId: event.id, personId: person.id, status: "confirmed", at: at("2024-02-08T07:30") }),
    ));
    await recordAttendance(
      tx,
      regs.map((r) => r.id),
      sessions,
      { threshold: 80, perfect: new Set(), failing: new Set([6, 13]), recordedByUserId: coordinatorId },
    );
    for (const person of bahrainPeople) {
      await tx.insert(consents)
        .values({ personId: person.id, eventId: event.id, wording: DEMO_CONSENT_WORDING, givenAt: at("2024-02-08T07:30") });
    }
  }

  // --- Follow-up requests from the partner ---------------------------------------------------
  // The first one (Freeport) was accepted and scheduled: the upcoming follow-up training answers it.
  const followUpDates = {
    received: at("2023-08-21T15:10"),
    underReview: at("2023-08-28T13:30"),
    accepted: at("2023-09-12T14:00"),
    scheduled: new Date(today.getTime() - 14 * DAY_MS),
  };
  const followUp = (await tx
    .insert(followUpRequests)
    .values({
      title: DEMO_SCHEDULED_FOLLOW_UP_TITLE,
      description:
        "Following the New Providence training of 9–10 August 2023, the Department of Immigration requests the same training for the officers posted in Freeport, whose airport and harbour see many arrivals of migrants in vulnerable situations.",
      country: "BS",
      localities: ["Freeport"],
      targetAudience: "Immigration, border and port officers posted in Freeport",
      roleCategories: ["immigration_officer", "border_officer", "port_specialist"],
      estimatedParticipants: 30,
      priority: "high",
      status: "scheduled",
      requestingOrganisationId: bsImmigration.id,
      originEventId: victimId.id,
      createdByUserId: partnerId,
      createdAt: followUpDates.received,
      updatedAt: followUpDates.scheduled,
    })
    .returning())[0];
  // The second one (Bimini and Grand Bahama) is under review: in the demo, the coordinator accepts it.
  const biminiDates = { received: new Date(today.getTime() - 21 * DAY_MS), underReview: new Date(today.getTime() - 10 * DAY_MS) };
  const bimini = (await tx
    .insert(followUpRequests)
    .values({
      title: DEMO_FOLLOW_UP_TITLE,
      description:
        "The Freeport follow-up reaches the officers based in Freeport only. The Department of Immigration asks for the New Providence training (9–10 August 2023) for the officers posted in Bimini and at the other ports of entry of Grand Bahama, where small boats arrive with migrants in vulnerable situations.",
      country: "BS",
      localities: ["Bimini", "Grand Bahama"],
      targetAudience: "Immigration, border and port officers posted in Bimini and Grand Bahama",
      roleCategories: ["immigration_officer", "border_officer", "port_specialist"],
      estimatedParticipants: 40,
      desiredFrom: utcDatePlus(today, 120),
      desiredTo: utcDatePlus(today, 180),
      priority: "high",
      status: "under_review",
      requestingOrganisationId: bsImmigration.id,
      originEventId: victimId.id,
      createdByUserId: partnerId,
      createdAt: biminiDates.received,
      updatedAt: biminiDates.underReview,
    })
    .returning())[0];
  await tx.insert(followUpRequestEntries)
    .values({
      requestId: bimini.id,
      authorUserId: partnerId,
      fromStatus: null,
      toStatus: "received",
      comment: "Twelve of the officers are in Bimini; the others at West End and the smaller ports of Grand Bahama.",
      createdAt: biminiDates.received,
    });
  await tx.insert(followUpRequestEntries)
    .values({
      requestId: bimini.id,
      authorUserId: coordinatorId,
      fromStatus: "received",
      toStatus: "under_review",
      comment: "Checking whether the trainers of the Freeport training are free in the desired period.",
      createdAt: biminiDates.underReview,
    });
  const entry = async (
    authorUserId: string,
    fromStatus: "received" | "under_review" | "accepted" | null,
    toStatus: "received" | "under_review" | "accepted" | "scheduled",
    comment: string,
    createdAt: Date,
  ) =>
    await tx.insert(followUpRequestEntries).values({ requestId: followUp.id, authorUserId, fromStatus, toStatus, comment, createdAt });
  await entry(partnerId, null, "received", "Request sent on behalf of the Acting Director of Immigration.", followUpDates.received);
  await entry(
    coordinatorId,
    "received",
    "under_review",
    "Checking trainer availability and the budget of the Western Hemisphere Program.",
    followUpDates.underReview,
  );
  await entry(
    coordinatorId,
    "under_review",
    "accepted",
    "Accepted: one training in Freeport, for the officers posted there and those who can travel from Bimini.",
    followUpDates.accepted,
  );

  // --- e) The upcoming follow-up training, open for registration --------------------------------
  const followUpStart = utcDatePlus(today, 30);
  const followUpDays = [followUpStart, datePlus(followUpStart, 1)];
  const followUpEvent = (await tx
    .insert(events)
    .values({
      ...eventBase,
      title: DEMO_EVENTS.followUp,
      type: "training",
      description:
        "Follow-up to the New Providence training, requested by the Department of Immigration for officers posted in Freeport, Grand Bahama: indicators of trafficking at air and sea ports, trauma-informed interviewing and referral.",
      programmeId: whp.id,
      country: "BS",
      locality: "Freeport, Grand Bahama",
      venue: "Lucaya Harbour Conference Centre, Meeting Room 2, Freeport",
      timeZone: NASSAU,
      startDate: followUpDays[0],
      endDate: followUpDays[1],
      capacity: 30,
      targetRoles: ["immigration_officer", "border_officer", "port_specialist"],
      topics: [
        "Indicators of trafficking at air and sea ports",
        "Trauma-informed interview techniques",
        "Referral through the national referral mechanism",
      ],
      status: "open",
      requiresApproval: true,
      consentText: DEMO_CONSENT_WORDING,
      registrationOpensAt: new Date(today.getTime() - 7 * DAY_MS),
      registrationClosesAt: local(NASSAU, datePlus(followUpStart, -7), "17:00"),
      originFollowUpRequestId: followUp.id,
      createdAt: followUpDates.scheduled,
      updatedAt: followUpDates.scheduled,
    })
    .returning())[0];
  await tx.insert(eventPartners).values({ eventId: followUpEvent.id, organisationId: bsImmigration.id });
  for (const objectiveId of [7, 10, 11]) {
    await tx.insert(eventGcmObjectives).values({ eventId: followUpEvent.id, objectiveId });
  }
  await insertSessions(
    tx,
    followUpEvent.id,
    NASSAU,
    "Meeting Room 2",
    timetable(followUpDays, BAHAMAS_SLOTS.slice(0, 3), [
      ["Welcome and recap of the New Providence training", "opening"],
      ["Indicators of trafficking at air and sea ports of entry", "presentation"],
      ["Trauma-informed interviewing: practice", "exercise"],
      ["Referral from the Family Islands", "presentation"],
      ["Action planning", "group_work"],
    ]),
    () => ({ userId: facilitatorId }),
  );
  await register(tx, {
    eventId: followUpEvent.id,
    personId: facilitatorPerson.id,
    eventRole: "facilitator",
    status: "confirmed",
    at: followUpDates.scheduled,
  });
  for (const [i, { status, byPartner }] of FOLLOW_UP_OFFICERS.entries()) {
    await register(tx, {
      eventId: followUpEvent.id,
      personId: followUpPeople[i].id,
      status,
      nominatedByUserId: byPartner ? partnerId : null,
      at: new Date(today.getTime() - (6 - i) * DAY_MS),
    });
  }
  await entry(
    coordinatorId,
    "accepted",
    "scheduled",
    `Scheduled: ${DEMO_EVENTS.followUp}, ${followUpDays[0]} to ${followUpDays[1]}.`,
    followUpDates.scheduled,
  );

  // --- g) A training in progress today, in Nassau -----------------------------------------------
  // Yesterday, today and tomorrow in the event's zone; the demo facilitator teaches every session
  // but the lunch breaks (which take no attendance); attendance is taken for the sessions that
  // have started when the demo is loaded. The demo participant is one of the officers.
  const nassauToday = dayIn(NASSAU, today);
  {
    const days = [datePlus(nassauToday, -1), nassauToday, datePlus(nassauToday, 1)];
    const event = (await tx
      .insert(events)
      .values({
        ...eventBase,
        title: DEMO_EVENTS.current,
        type: "training",
        description:
          "Three days of practice in interviewing people who may be victims of trafficking: building trust, trauma-informed questions, interpreters, and what to write down for the referral.",
        programmeId: whp.id,
        country: "BS",
        locality: "New Providence",
        venue: "Department of Immigration Training Centre, Nassau",
        timeZone: NASSAU,
        startDate: days[0],
        endDate: days[2],
        capacity: 20,
        targetRoles: ["immigration_officer", "border_officer", "social_worker"],
        topics: ["Trauma-informed interview techniques", "Working with interpreters", "Recording and referral"],
        status: "in_progress",
        consentText: DEMO_CONSENT_WORDING,
        registrationOpensAt: new Date(today.getTime() - 40 * DAY_MS),
        registrationClosesAt: local(NASSAU, datePlus(days[0], -7), "17:00"),
        createdAt: new Date(today.getTime() - 50 * DAY_MS),
        updatedAt: local(NASSAU, days[0], "08:30"),
      })
      .returning())[0];
    await tx.insert(eventPartners).values({ eventId: event.id, organisationId: bsImmigration.id });
    for (const objectiveId of [7, 10]) await tx.insert(eventGcmObjectives).values({ eventId: event.id, objectiveId });
    const dayPlan: [string, SessionKind][][] = [
      [
        ["Opening: why the first interview matters", "opening"],
        ["Trauma and memory: what to expect in an interview", "presentation"],
        ["Lunch", "break"],
        ["Building trust in the first minutes", "exercise"],
        ["Interview practice in pairs", "exercise"],
      ],
      [
        ["Trauma-informed questions", "presentation"],
        ["Working with interpreters", "discussion"],
        ["Lunch", "break"],
        ["Role play: the secondary-inspection interview", "exercise"],
        ["Debrief of the role plays", "group_work"],
      ],
      [
        ["What to write down, and what not", "presentation"],
        ["From interview to referral", "presentation"],
        ["Lunch", "break"],
        ["Case study: a night arrival at the harbour", "exercise"],
        ["Action planning and closing", "group_work"],
      ],
    ];
    const slots = [["09:00", "10:30"], ["10:45", "12:15"], ["12:15", "13:15"], ["13:15", "14:45"], ["15:00", "16:30"]] as const;
    const specs: SessionSpec[] = dayPlan.flatMap((sessions, d) =>
      sessions.map(([title, kind], i) => ({ date: days[d], start: slots[i][0], end: slots[i][1], title, kind })),
    );
    const sessions = await insertSessions(tx, event.id, NASSAU, "Training Room A", specs, (_, spec) =>
      spec.kind === "break" ? null : { userId: facilitatorId },
    );
    await register(tx, { eventId: event.id, personId: facilitatorPerson.id, eventRole: "facilitator", status: "confirmed", at: new Date(today.getTime() - 30 * DAY_MS) });
    const officers = CURRENT_OFFICERS.map((i) => victimIdPeople[i]);
    const regs = await Promise.all(officers.map(async (person, i) =>
      await register(tx, {
        eventId: event.id,
        personId: person.id,
        status: "confirmed",
        nominatedByUserId: i % 2 === 0 ? partnerId : null,
        at: new Date(today.getTime() - (25 - i) * DAY_MS),
      }),
    ));
    // the sessions that have started (breaks never take attendance)
    const started = sessions.filter((session, i) => specs[i].kind !== "break" && session.startsAt.getTime() <= today.getTime());
    for (const [r, registration] of regs.entries()) {
      for (const [s, session] of started.entries()) {
        const status: AttendanceStatus = r === 3 && s === 0 ? "late" : r === 7 && s % 4 === 1 ? "absent" : "present";
        const recordedAt = new Date(Math.min(session.endsAt.getTime(), today.getTime()));
        await tx.insert(attendance)
          .values({ registrationId: registration.id, sessionId: session.id, status, method: "manual", recordedByUserId: facilitatorId, recordedAt, createdAt: recordedAt, updatedAt: recordedAt });
      }
    }
    for (const person of officers) {
      await tx.insert(consents).values({ personId: person.id, eventId: event.id, wording: DEMO_CONSENT_WORDING, givenAt: new Date(today.getTime() - 25 * DAY_MS) });
    }
  }

  // --- h) A training that ended 31 days ago: the first (30-day) check-in of its plans is due ----
  // Its plans: the demo participant's still a draft, two submitted that no coordinator has looked
  // at, items done that await the partner's validation, nothing recorded since the check-in day.
  // Certificates are not issued yet (seedCertificates leaves this event out).
  const recentEnd = datePlus(nassauToday, -31);
  const recentDays = [datePlus(recentEnd, -1), recentEnd];
  const recent = (await tx
    .insert(events)
    .values({
      ...eventBase,
      title: DEMO_EVENTS.recent,
      type: "training",
      description:
        "Two days on screening arrivals at air and sea ports for signs of trafficking, and on referring them through the national referral mechanism.",
      programmeId: whp.id,
      country: "BS",
      locality: "New Providence",
      venue: "Department of Immigration Training Centre, Nassau",
      timeZone: NASSAU,
      startDate: recentDays[0],
      endDate: recentDays[1],
      capacity: 16,
      targetRoles: ["immigration_officer", "border_officer", "port_specialist"],
      topics: ["Screening at ports of entry", "Indicators of trafficking", "The national referral mechanism"],
      status: "completed",
      consentText: DEMO_CONSENT_WORDING,
      createdAt: local(NASSAU, datePlus(recentDays[0], -45), "10:00"),
      updatedAt: local(NASSAU, datePlus(recentEnd, 1), "10:00"),
    })
    .returning())[0];
  await tx.insert(eventPartners).values({ eventId: recent.id, organisationId: bsImmigration.id });
  for (const objectiveId of [7, 11]) await tx.insert(eventGcmObjectives).values({ eventId: recent.id, objectiveId });
  {
    const sessions = await insertSessions(
      tx,
      recent.id,
      NASSAU,
      "Training Room B",
      timetable(recentDays, BAHAMAS_SLOTS, [
        ["Opening and the screening questions", "opening"],
        ["Indicators of trafficking at ports of entry", "presentation"],
        ["Screening exercise: the arrivals hall", "exercise"],
        ["Screening exercise: the harbour", "exercise"],
        ["The national referral mechanism", "presentation"],
        ["Referral in practice: case studies", "exercise"],
        ["Working with the Trafficking in Persons Unit", "discussion"],
        ["Action planning", "group_work"],
      ]),
      () => ({ userId: facilitatorId }),
    );
    await register(tx, { eventId: recent.id, personId: facilitatorPerson.id, eventRole: "facilitator", status: "confirmed", at: local(NASSAU, datePlus(recentDays[0], -30), "10:00") });
    const regs = await Promise.all(RECENT_OFFICERS.map(async (i) =>
      await register(tx, { eventId: recent.id, personId: victimIdPeople[i].id, status: "confirmed", at: local(NASSAU, datePlus(recentDays[0], -20), "10:00") }),
    ));
    await recordAttendance(
      tx,
      regs.map((r) => r.id),
      sessions,
      { threshold: 80, perfect: new Set([0]), failing: new Set([8]), recordedByUserId: facilitatorId },
    );
    for (const i of RECENT_OFFICERS) {
      await tx.insert(consents).values({ personId: victimIdPeople[i].id, eventId: recent.id, wording: DEMO_CONSENT_WORDING, givenAt: local(NASSAU, datePlus(recentDays[0], -20), "10:00") });
    }
    const afterDays = (days: number, time = "10:00") => local(NASSAU, datePlus(recentEnd, days), time);
    const recentPlan = async (title: string, members: number[], submitted: boolean) => {
      const row = (await tx
        .insert(actionPlans)
        .values({
          eventId: recent.id,
          title,
          status: submitted ? "submitted" : "draft",
          submittedAt: submitted ? afterDays(3) : null,
          createdAt: afterDays(0, "16:00"),
          updatedAt: submitted ? afterDays(3) : afterDays(0, "16:00"),
        })
        .returning())[0];
      for (const m of members) await tx.insert(actionPlanMembers).values({ planId: row.id, personId: victimIdPeople[m].id });
      return row;
    };
    const recentItem = async (planId: number, position: number, action: string, targetDays: number, status: ActionItemStatus) =>
      (await tx
        .insert(actionPlanItems)
        .values({
          planId,
          position,
          action,
          targetDate: datePlus(recentEnd, targetDays),
          responsible: "Immigration officer (myself)",
          indicator: "Reported at the shift meeting",
          status,
          createdAt: afterDays(0, "16:00"),
          updatedAt: afterDays(status === "done" ? 12 : 0, "16:00"),
        })
        .returning())[0];
    const own = await recentPlan("Screening questions at the cruise port arrivals desk", [0], false);
    await recentItem(own.id, 0, "Add the five screening questions to the arrivals desk checklist", 45, "in_progress");
    await recentItem(own.id, 1, "Share the referral contacts with the desk supervisors", 60, "planned");
    const airport = await recentPlan("Screening at the airport secondary inspection", [21], true);
    const posters = await recentItem(airport.id, 0, "Put the screening questions on the inspection room wall", 14, "done");
    await recentItem(airport.id, 1, "Refer every case with two indicators or more to the Trafficking in Persons Unit", 90, "in_progress");
    await recentItem(airport.id, 2, "Present one anonymised case at the monthly meeting", 60, "planned");
    await tx.insert(actionPlanUpdates)
      .values({ itemId: posters.id, authorUserId: null, note: "The questions are on the wall of both inspection rooms.", statusAfter: "done", createdAt: afterDays(12, "15:00") });
    const harbour = await recentPlan("Referral from the harbour", [13, 16], true);
    await recentItem(harbour.id, 0, "Agree the referral route with the harbour police post", 20, "done");
    await recentItem(harbour.id, 1, "Train the night shift on the screening questions", 75, "planned");
  }

  // --- f) A draft (visible to admins and coordinators only) -------------------------------------
  const draftStart = utcDatePlus(today, 75);
  await tx.insert(events)
    .values({
      ...eventBase,
      title: DEMO_EVENTS.draft,
      type: "workshop",
      description:
        "Draft: a training of trainers so that Ministry of Interior officers can teach victim-centred approaches to their colleagues, building on the February 2024 training.",
      programmeId: gulf.id,
      country: "BH",
      locality: "Manama",
      timeZone: BAHRAIN,
      startDate: draftStart,
      endDate: datePlus(draftStart, 2),
      capacity: 16,
      targetRoles: ["research_officer", "police_specialist"],
      topics: ["Adult learning methods", "Victim-centred approaches", "Curriculum on human trafficking"],
      status: "draft",
    });
}

/**
 * Certificates for everyone who completed a finished demo event (completed or reported), issued by
 * the coordinator two days after the event: the same rule the Certificates tab applies. The events
 * titled in `notYet` are left for the coordinator to issue.
 */
async function seedCertificates(tx: Tx, notYet: string[]) {
  const coordinatorId = firstRow(await tx.select({ id: users.id }).from(users).where(eq(users.email, "coordinator@example.org")).limit(1))!.id;
  const { completed } = completionSql(REGISTRATION_REFS);
  const done = (await tx
    .select({ registrationId: registrations.id, endDate: events.endDate, completed })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(
      and(
        inArray(events.status, ["completed", "reported"]),
        notInArray(events.title, notYet),
        eq(registrations.eventRole, "participant"),
        eq(registrations.status, "confirmed"),
      ),
    ))
    .filter((r) => r.completed === 1);
  for (const r of done) {
    const code = Array.from(crypto.randomBytes(CERTIFICATE_CODE_LENGTH), (b) => CERTIFICATE_CODE_ALPHABET[b & 31]).join("");
    const issuedAt = new Date(`${r.endDate}T12:00:00Z`);
    issuedAt.setUTCDate(issuedAt.getUTCDate() + 2);
    await tx.insert(certificates).values({ registrationId: r.registrationId, code, issuedAt, issuedByUserId: coordinatorId });
  }
}
