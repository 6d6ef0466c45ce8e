/**
 * Benchmark data at the scale of a global organisation (issue 11).
 *
 *   tsx db/seed/scale.ts --scale 1 --out data/bench-1.db [--today 2026-11-22] [--seed 11] [--force]
 *
 * Scale 1 is five years of work in 100 countries: 2,000 events of ~10 sessions, 50,000 people,
 * 60,000 registrations, attendance at every session of every confirmed participant, certificates
 * for those who completed, 20,000 action plans with items and updates, 1,000 follow-up requests,
 * 40 programmes funded by 15 donors. Scale 10 is ten times every count except the six demo logins
 * (CONTRACT.md), the 100 countries and the two fixed-size events the benchmark measures: a
 * 500-person roster and a 40-participant × 12-session attendance grid. Fractional scales (tests)
 * shrink everything, those two events included.
 *
 * Deterministic: one seeded PRNG (mulberry32) drives every choice and every timestamp is derived
 * from `today`, so two runs with the same options write the same rows (only the argon2 password
 * hash differs: its salt is random). The file must not exist; it is created and migrated with
 * openDatabase, then filled through prepared better-sqlite3 statements inside large transactions
 * (synchronous=OFF, foreign keys checked once at the end instead of per row).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { MIGRATIONS_FOLDER, openDatabase } from "../client";
import { hashPassword } from "../../app/auth/password.server";
import { ROLE_CATEGORIES, type AttendanceStatus, type RegistrationStatus, type Role, type SessionKind } from "../../app/lib/domain";
import { countryName } from "../../app/lib/format";
import { mainZoneOf, zonedToUtc } from "../../app/lib/zoned";
import { CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH } from "../../app/models/certificates.server";
import { KEY_MODULUS } from "../../app/models/disclosure.server";
import { DEMO_DATA_SETTING } from "../../app/models/second-factor.server";
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PROGRAMMES, seedDemoSecondFactors } from "./demo";

/** The events the benchmark looks up by title (bench/targets.ts). */
export const SCALE_BENCH_EVENTS = {
  bigRoster: "Regional Conference on Migration Governance, Nairobi",
  attendanceGrid: "Intensive Course on Document Examination, Nassau",
} as const;

/** The programme a tenth of all events belong to (its /reports is measured); funded by donor@example.org's organisation. */
export const SCALE_FLAGSHIP_PROGRAMME = DEMO_PROGRAMMES.westernHemisphere;

export type ScaleOptions = {
  scale: number;
  out: string;
  /** YYYY-MM-DD: the five years end half a year after this day; statuses and attendance follow it */
  today?: string;
  seed?: number;
  /** replace an existing file */
  force?: boolean;
  log?: (line: string) => void;
};

export type ScaleResult = { file: string; scale: number; today: string; ms: number; counts: Record<string, number> };

// ---------------------------------------------------------------------------------------------
// Randomness

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = ReturnType<typeof mulberry32>;

/** The tables whose rows are units of donor figures: each row carries a `cell_key`. */
export const CELL_KEY_TABLES = ["people", "registrations", "action_plans", "action_plan_items", "follow_up_requests", "feedback_answers"];
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
/** `weights` as [value, weight] pairs. */
function weighted<T>(rng: Rng, weights: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of weights) total += w;
  let r = rng() * total;
  for (const [value, w] of weights) {
    r -= w;
    if (r < 0) return value;
  }
  return weights[weights.length - 1][0];
}

/** Split `total` into integers proportional to `weights` (cumulative rounding: the sum is exact). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  let given = 0;
  for (const w of weights) {
    acc += w;
    const upTo = sum === 0 ? 0 : Math.round((total * acc) / sum);
    out.push(upTo - given);
    given = upTo;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference lists (real ISO codes; the locality is where trainings usually happen)

const COUNTRIES: readonly (readonly [string, string])[] = [
  // Americas
  ["BS", "Nassau"], ["BB", "Bridgetown"], ["JM", "Kingston"], ["HT", "Port-au-Prince"], ["DO", "Santo Domingo"],
  ["TT", "Port of Spain"], ["GY", "Georgetown"], ["BZ", "Belmopan"], ["GT", "Guatemala City"], ["HN", "Tegucigalpa"],
  ["SV", "San Salvador"], ["NI", "Managua"], ["CR", "San José"], ["PA", "Panama City"], ["CO", "Bogotá"],
  ["EC", "Quito"], ["PE", "Lima"], ["BR", "Brasília"], ["MX", "Mexico City"], ["CL", "Santiago"],
  ["AR", "Buenos Aires"], ["BO", "La Paz"],
  // Europe
  ["GB", "London"], ["FR", "Paris"], ["DE", "Berlin"], ["ES", "Madrid"], ["IT", "Rome"], ["PT", "Lisbon"],
  ["GR", "Athens"], ["PL", "Warsaw"], ["UA", "Kyiv"], ["RO", "Bucharest"], ["RS", "Belgrade"], ["BA", "Sarajevo"],
  ["AL", "Tirana"], ["MD", "Chișinău"], ["TR", "Ankara"], ["MT", "Valletta"],
  // Middle East
  ["BH", "Manama"], ["QA", "Doha"], ["AE", "Abu Dhabi"], ["KW", "Kuwait City"], ["OM", "Muscat"], ["SA", "Riyadh"],
  ["JO", "Amman"], ["LB", "Beirut"], ["IQ", "Baghdad"], ["EG", "Cairo"],
  // Africa
  ["MA", "Rabat"], ["DZ", "Algiers"], ["TN", "Tunis"], ["LY", "Tripoli"], ["NE", "Niamey"], ["ML", "Bamako"],
  ["SN", "Dakar"], ["GM", "Banjul"], ["GN", "Conakry"], ["CI", "Abidjan"], ["GH", "Accra"], ["NG", "Abuja"],
  ["CM", "Yaoundé"], ["TD", "N'Djamena"], ["SD", "Khartoum"], ["ET", "Addis Ababa"], ["SO", "Mogadishu"],
  ["DJ", "Djibouti"], ["KE", "Nairobi"], ["UG", "Kampala"], ["TZ", "Dodoma"], ["RW", "Kigali"], ["CD", "Kinshasa"],
  ["ZM", "Lusaka"], ["ZA", "Pretoria"], ["MZ", "Maputo"],
  // Asia
  ["AF", "Kabul"], ["PK", "Islamabad"], ["IN", "New Delhi"], ["BD", "Dhaka"], ["LK", "Colombo"], ["NP", "Kathmandu"],
  ["MM", "Yangon"], ["TH", "Bangkok"], ["KH", "Phnom Penh"], ["LA", "Vientiane"], ["VN", "Hanoi"],
  ["MY", "Kuala Lumpur"], ["ID", "Jakarta"], ["PH", "Manila"], ["CN", "Beijing"], ["MN", "Ulaanbaatar"],
  ["KZ", "Astana"], ["UZ", "Tashkent"], ["KG", "Bishkek"], ["TJ", "Dushanbe"],
  // Pacific
  ["AU", "Canberra"], ["NZ", "Wellington"], ["FJ", "Suva"], ["PG", "Port Moresby"], ["SB", "Honiara"], ["VU", "Port Vila"],
];

const AGENCY_TYPES = [
  "Department of Immigration",
  "Police Force",
  "Ministry of Labour",
  "Border Agency",
  "Ministry of Social Development",
  "Office of the Attorney General",
];

const DONOR_NAMES = [
  DEMO_ORGANISATIONS.prm,
  DEMO_ORGANISATIONS.gulfFund,
  "Nordic Migration Governance Fund",
  "Pacific Resilience Trust",
  "European Partnership for Safe Migration",
  "Andean Cooperation Facility",
  "Sahel Stability Fund",
  "Horn of Africa Migration Initiative Donors' Group",
  "Mekong Protection Fund",
  "Caribbean Development Partners",
  "Global Fund for Labour Mobility",
  "Balkan Border Cooperation Trust",
  "Central Asia Mobility Fund",
  "Humanitarian Border Management Fund",
  "Fair Recruitment Alliance",
];

const PROGRAMME_THEMES = [
  "Counter-Trafficking Partnership",
  "Integrated Border Management Programme",
  "Labour Mobility and Fair Recruitment",
  "Protection of Migrants in Vulnerable Situations",
  "Migration Data and Evidence",
  "Return and Reintegration Support",
  "Humanitarian Border Management",
  "Migration Governance Capacity Building",
];
const REGIONS = ["Caribbean", "Central America", "Andean Region", "Western Balkans", "Gulf", "Sahel", "East Africa", "Southern Africa", "Mekong", "Central Asia", "Pacific", "North Africa", "South Asia", "Mediterranean"];

/** Topic, event type, and the words of its sessions. */
const TOPICS: readonly (readonly [string, "training" | "workshop" | "seminar" | "media_training", readonly string[]])[] = [
  ["Identification and Protection of Victims of Trafficking", "training", ["Indicators of trafficking", "Screening interviews", "Referral mechanisms", "Victim-centred approaches"]],
  ["Essentials of Migration Management", "training", ["Migration governance", "International migration law", "Mixed movements", "Data for policy"]],
  ["Integrated Border Management", "training", ["Risk analysis", "Inter-agency cooperation", "Border procedures", "Human rights at borders"]],
  ["Counter-Trafficking for Immigration Officials", "training", ["Legal frameworks", "Case studies", "Interviewing techniques", "Protection of victims"]],
  ["Document Examination and Fraud Detection", "training", ["Security features", "Impostors", "Forgery detection", "Practical examination"]],
  ["Investigating Migrant Smuggling", "workshop", ["Smuggling networks", "Financial investigation", "Evidence and prosecution", "Cross-border cooperation"]],
  ["Labour Migration and Fair Recruitment", "workshop", ["Recruitment fees", "Labour inspection", "Bilateral agreements", "Grievance mechanisms"]],
  ["Reporting on Migration and Human Rights", "media_training", ["Terminology", "Ethical reporting", "Interviewing survivors", "Countering misinformation"]],
  ["Protection of Migrants in Vulnerable Situations", "training", ["Vulnerability assessment", "Child protection", "Gender-based violence", "Case management"]],
  ["Migration Data and Statistics", "workshop", ["Data sources", "Registers and surveys", "Data protection", "Indicators"]],
  ["Humanitarian Border Management", "training", ["Crisis preparedness", "Mass arrivals", "Health at borders", "Coordination"]],
  ["Return and Reintegration", "seminar", ["Voluntary return", "Reintegration support", "Case management", "Monitoring"]],
  ["Gender-Sensitive Approaches to Migration", "seminar", ["Gender analysis", "Protection risks", "Services", "Policy"]],
  ["Migration, Environment and Climate Change", "seminar", ["Displacement", "Planned relocation", "Adaptation", "Policy options"]],
  ["Child Protection at Borders", "training", ["Best interests", "Unaccompanied children", "Age assessment", "Referral"]],
  ["Consular Assistance to Migrants", "workshop", ["Consular mandates", "Assistance in crises", "Detention visits", "Cooperation"]],
];

const GIVEN_FEMALE = ["Amina", "Maria", "Fatima", "Ana", "Grace", "Mei", "Sofia", "Aisha", "Olga", "Nadia", "Lucia", "Priya", "Leila", "Chloé", "Esther", "Hana", "Ingrid", "Joy", "Keisha", "Latoya", "Marta", "Noor", "Rosa", "Sara", "Tamika", "Valentina", "Yasmin", "Zainab", "Elena", "Camila"];
const GIVEN_MALE = ["Ahmed", "Juan", "Mohamed", "David", "Kwame", "Wei", "Carlos", "Ibrahim", "Ivan", "Omar", "Luis", "Raj", "Hassan", "Pierre", "Samuel", "Kenji", "Lars", "John", "Dario", "Jamal", "Marco", "Nikolai", "Pedro", "Rashad", "Tomás", "Vusi", "Yousif", "Zoran", "Andrés", "Kofi"];
const FAMILY = ["Abdi", "Al Mahmood", "Bakari", "Banda", "Cartwright", "Chen", "Da Silva", "Diallo", "Dubois", "Evans", "Fernández", "Ferguson", "García", "Gonzaga", "Haddad", "Hossain", "Ivanova", "Jansen", "Kamau", "Khan", "Kowalski", "Laurent", "Li", "Mensah", "Moreno", "Mwangi", "Nguyen", "Novak", "Okafor", "Ortega", "Papadopoulos", "Pérez", "Petrov", "Quispe", "Rahman", "Rolle", "Santos", "Sato", "Silva", "Singh", "Suárez", "Tanaka", "Traoré", "Usman", "Vargas", "Wang", "Williams", "Yilmaz", "Zhou", "Zulu"];
const POSITIONS: Record<string, string> = {
  immigration_officer: "Immigration Officer",
  police_specialist: "Police Specialist",
  port_specialist: "Port Inspection Officer",
  research_officer: "Research Officer",
  border_officer: "Border Control Officer",
  labour_inspector: "Labour Inspector",
  social_worker: "Case Worker",
  prosecutor: "Public Prosecutor",
  journalist: "Reporter",
  policy_officer: "Policy Analyst",
  other: "Officer",
};
const VENUES = ["National Police Academy", "Immigration Training Centre", "Grand Hotel, Conference Room A", "UN House", "Ministry of Interior Training Hall", "Harbour View Hotel"];
const ACTIONS = [
  "Brief my unit on the indicators of trafficking",
  "Introduce the screening checklist at my post",
  "Set up a referral contact list with social services",
  "Train two colleagues on the new procedures",
  "Review the standard operating procedures with my supervisor",
  "Share the training materials on the unit's drive",
  "Organise a case-review session each month",
  "Propose a data-recording template for referrals",
];
const UPDATE_NOTES = ["Started as planned.", "Discussed with my supervisor; waiting for approval.", "Done with the whole shift.", "Delayed by staff rotation.", "Materials shared; two colleagues trained.", "Checklist now in daily use."];

const SLOTS = [
  [9 * 60, 10 * 60 + 30],
  [10 * 60 + 45, 12 * 60 + 15],
  [13 * 60 + 15, 14 * 60 + 45],
  [15 * 60, 16 * 60 + 30],
] as const;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Dates (calendar days as whole days since 1970-01-01 UTC)

function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}
function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
/** Midnight UTC of a day, in ms (timestamps of non-session records). */
const dayMs = (day: number) => day * DAY_MS;

/** 60 bits per registration id, spread by an odd multiplier (a bijection mod 2^60): unique codes, no collisions. */
function certificateCode(registrationId: number): string {
  const alphabet = CERTIFICATE_CODE_ALPHABET;
  let v = (BigInt(registrationId) * 0x9e3779b97f4a7c1n + 0x5deece66dn) & ((1n << 60n) - 1n);
  let code = "";
  for (let i = 0; i < CERTIFICATE_CODE_LENGTH; i++) {
    code += alphabet[Number(v & 31n)];
    v >>= 5n;
  }
  return code;
}

// ---------------------------------------------------------------------------------------------

type Phase = "past" | "ongoing" | "future";

type EventPlan = {
  title: string;
  topic: number;
  countryIndex: number;
  startDay: number;
  sessions: number;
  /** registrations in total (facilitators included) */
  roster: number;
  programme: number | null;
  special?: "bigRoster" | "attendanceGrid";
};

/** Generate the dataset into a fresh file; resolves with the time taken and the row counts. */
export async function generateScaleData(options: ScaleOptions): Promise<ScaleResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const scale = options.scale;
  if (!(scale > 0 && scale <= 100)) throw new Error(`--scale must be a number above 0 (at most 100), got ${scale}`);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`--today must be YYYY-MM-DD, got ${today}`);
  const file = path.resolve(options.out);
  if (fs.existsSync(file)) {
    if (!options.force) throw new Error(`${options.out} already exists (pass --force to replace it)`);
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }

  const rng = mulberry32(options.seed ?? 11);
  const passwordHash = await hashPassword(DEMO_PASSWORD); // once, for the six demo logins

  const db = openDatabase(file); // creates and migrates
  const sqlite = db.$client;
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = OFF"); // checked once at the end (foreign_key_check)
  sqlite.pragma("cache_size = -262144"); // 256 MiB while loading
  sqlite.pragma("temp_store = MEMORY");
  // The triggers that keep stored counts and the data versions (migrations 0007, 0008, 0011, 0012)
  // would run once per generated row: dropped while loading, the counts then filled by the
  // migration's own statements and the triggers re-created exactly as the migrations made them.
  const triggers = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%_counts_%' OR name LIKE '%_reports_version_%' OR name LIKE '%_plans_version_%')")
    .all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);

  const n = (base: number, min = 1) => Math.max(min, Math.round(base * scale));
  const small = Math.min(1, scale); // the two bench events never grow past their nominal size
  const todayDay = dayNumber(today);
  const todayMs = dayMs(todayDay) + 12 * 60 * MINUTE_MS; // noon UTC "now" for statuses and attendance
  const firstDay = todayDay - Math.round(4.5 * 365.25);
  const lastDay = todayDay + 182;

  const C = COUNTRIES.length;
  const countryNames = COUNTRIES.map(([code]) => countryName(code, "en"));
  const zones = COUNTRIES.map(([code]) => {
    const zone = mainZoneOf(code);
    if (!zone) throw new Error(`no time zone for ${code}`);
    return zone;
  });
  const BS = COUNTRIES.findIndex(([code]) => code === "BS");
  const KE = COUNTRIES.findIndex(([code]) => code === "KE");

  // Every unit a donor's figures count gets its disclosure-control key (0 to 99, migration 0014) in
  // its own INSERT: the trigger that would otherwise give it one runs an UPDATE per row. The keys
  // come from a PRNG of their own, so that adding them left every other generated value as it was.
  const keyRng = mulberry32(((options.seed ?? 11) ^ 0x5eed) >>> 0);
  const ins = (table: string, columns: string[]) => {
    const keyed = CELL_KEY_TABLES.includes(table);
    const all = keyed ? [...columns, "cell_key"] : columns;
    const stmt = sqlite.prepare(`INSERT INTO ${table} (${all.join(", ")}) VALUES (${all.map(() => "?").join(", ")})`);
    return { run: (...values: unknown[]) => (keyed ? stmt.run(...values, int(keyRng, 0, KEY_MODULUS - 1)) : stmt.run(...values)) };
  };
  /** Several rows in one statement (one call into SQLite instead of one per row), flat values. */
  const insMany = (table: string, columns: string[]) => {
    const byRows = new Map<number, ReturnType<typeof sqlite.prepare>>();
    const row = `(${columns.map(() => "?").join(", ")})`;
    return (values: unknown[]) => {
      const rows = values.length / columns.length;
      if (rows === 0) return;
      let stmt = byRows.get(rows);
      if (!stmt) {
        stmt = sqlite.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`);
        byRows.set(rows, stmt);
      }
      stmt.run(values);
    };
  };

  // --- organisations, programmes, funding, users ----------------------------------------------
  const donorCount = n(15);
  const officeCount = n(10);
  const agenciesPerCountry = n(3);
  const mediaCount = n(20);
  const programmeCount = n(40);

  let orgId = 0;
  const donorIds: number[] = [];
  const officeIds: number[] = [];
  const agencyIds: number[][] = COUNTRIES.map(() => []);
  const mediaIdOf = new Map<number, number>();
  const userIds = Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.email, `scale-${a.role}`])) as Record<
    (typeof DEMO_ACCOUNTS)[number]["email"],
    string
  >;
  const coordinatorId = userIds["coordinator@example.org"];
  const facilitatorUserId = userIds["facilitator@example.org"];
  const participantUserId = userIds["participant@example.org"];
  const partnerUserId = userIds["partner@example.org"];
  const stamp = dayMs(firstDay - 30);

  sqlite.transaction(() => {
    const org = ins("organisations", ["id", "name", "acronym", "kind", "country", "created_at", "updated_at"]);
    const addOrg = (name: string, kind: string, country: string | null) => {
      org.run(++orgId, name, null, kind, country, stamp, stamp);
      return orgId;
    };
    for (let i = 0; i < donorCount; i++) {
      const base = DONOR_NAMES[i % DONOR_NAMES.length];
      donorIds.push(addOrg(i < DONOR_NAMES.length ? base : `${base} (window ${Math.floor(i / DONOR_NAMES.length) + 1})`, "donor", i === 0 ? "US" : null));
    }
    for (let i = 0; i < officeCount; i++) {
      const [code, city] = COUNTRIES[(BS + i * 7) % C];
      const name = i < C ? `Convene Implementing Office — ${city}` : `Convene Implementing Office — ${city} ${Math.floor(i / C) + 1}`;
      officeIds.push(addOrg(name, "implementing_office", code));
    }
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < agenciesPerCountry; k++) {
        const type = AGENCY_TYPES[k % AGENCY_TYPES.length];
        const round = Math.floor(k / AGENCY_TYPES.length);
        const name = `${countryNames[c]} ${type}${round === 0 ? "" : ` — Regional Office ${round}`}`;
        agencyIds[c].push(addOrg(name, "government_partner", COUNTRIES[c][0]));
      }
    }
    for (let i = 0; i < mediaCount; i++) {
      const c = (BS + i * 3) % C;
      const round = Math.floor(i / C);
      const id = addOrg(`${countryNames[c]} Broadcasting Corporation${round === 0 ? "" : ` ${round + 1}`}`, "media", COUNTRIES[c][0]);
      if (!mediaIdOf.has(c)) mediaIdOf.set(c, id);
    }

    const programme = ins("programmes", ["id", "name", "code", "description", "start_date", "end_date", "created_at", "updated_at"]);
    for (let p = 0; p < programmeCount; p++) {
      const name =
        p === 0
          ? SCALE_FLAGSHIP_PROGRAMME
          : `${PROGRAMME_THEMES[p % PROGRAMME_THEMES.length]} — ${REGIONS[p % REGIONS.length]}${p < 56 ? "" : ` ${p + 1}`}`; // 56 = lcm(8, 14): pairs repeat after it
      const start = firstDay - int(rng, 30, 400);
      programme.run(p + 1, name, p === 0 ? "WHP" : `P${String(p + 1).padStart(3, "0")}`, `${name}: trainings, workshops and follow-up support.`, dayString(start), p % 5 === 4 ? dayString(lastDay + 365) : null, stamp, stamp);
    }
    const funding = ins("programme_funding", ["programme_id", "donor_organisation_id", "created_at", "updated_at"]);
    for (let p = 0; p < programmeCount; p++) {
      const first = p % donorCount;
      funding.run(p + 1, donorIds[first], stamp, stamp);
      if (donorCount > 1 && rng() < 0.3) {
        const second = (first + 1 + int(rng, 0, donorCount - 2)) % donorCount;
        funding.run(p + 1, donorIds[second], stamp, stamp);
      }
    }

    const user = ins("users", ["id", "email", "name", "password_hash", "role", "organisation_id", "created_at", "updated_at"]);
    const orgOfRole: Record<Role, number | null> = {
      admin: null,
      coordinator: officeIds[0],
      facilitator: officeIds[0],
      participant: agencyIds[BS][0],
      partner: agencyIds[BS][0], // Bahamas Department of Immigration
      donor: donorIds[0], // funds the flagship programme
    };
    for (const account of DEMO_ACCOUNTS) {
      user.run(userIds[account.email], account.email, account.name, passwordHash, account.role, orgOfRole[account.role], stamp, stamp);
    }
  })();

  // --- people --------------------------------------------------------------------------------
  // ids: 1 = participant@example.org, 2 = facilitator@example.org, then trainers, then officers
  // spread over the countries round-robin (country c holds ids OFFSET + c + k·C).
  const peopleTotal = n(50_000, 10);
  const trainerCount = Math.max(1, Math.round(100 * scale));
  const OFFSET = 3 + trainerCount;
  const officerCount = peopleTotal - 2 - trainerCount;
  if (officerCount < 60) throw new Error(`scale ${scale} is too small (needs at least a few dozen people)`);
  const countryPoolSize = (c: number) => (c < officerCount % C ? Math.ceil(officerCount / C) : Math.floor(officerCount / C));
  const countryOfPerson = (id: number) => (id >= OFFSET ? (id - OFFSET) % C : -1);

  sqlite.transaction(() => {
    const person = ins("people", [
      "id", "given_name", "family_name", "email", "phone", "sex", "organisation_id", "position", "role_category",
      "nationality", "dietary_needs", "accessibility_needs", "user_id", "created_at", "updated_at",
    ]);
    person.run(1, "Shavonne", "Rolle", "participant@example.org", "+1 242 555 0110", "female", agencyIds[BS][0], "Grade 1 Immigration Officer", "immigration_officer", "BS", null, null, participantUserId, stamp, stamp);
    person.run(2, "Tomás", "Herrera", "facilitator@example.org", null, "male", officeIds[0], "Protection and counter-trafficking trainer", "other", "CR", null, null, facilitatorUserId, stamp, stamp);
    for (let t = 0; t < trainerCount; t++) {
      const id = 3 + t;
      const female = rng() < 0.5;
      const given = pick(rng, female ? GIVEN_FEMALE : GIVEN_MALE);
      const family = pick(rng, FAMILY);
      const c = int(rng, 0, C - 1);
      person.run(id, given, family, `trainer${id}@convene.example`, null, female ? "female" : "male", officeIds[t % officeCount], "Trainer", "other", COUNTRIES[c][0], null, null, null, stamp, stamp);
    }
    for (let k = 0; k < officerCount; k++) {
      const id = OFFSET + k;
      const c = k % C;
      const sexRoll = rng();
      const sex = sexRoll < 0.48 ? "female" : sexRoll < 0.97 ? "male" : sexRoll < 0.985 ? "other" : "undisclosed";
      const given = pick(rng, sex === "female" ? GIVEN_FEMALE : GIVEN_MALE);
      const family = pick(rng, FAMILY);
      const roleCategory = pick(rng, ROLE_CATEGORIES);
      const organisation =
        roleCategory === "journalist" && mediaIdOf.has(c) ? mediaIdOf.get(c)! : agencyIds[c][int(rng, 0, agenciesPerCountry - 1)];
      const code = COUNTRIES[c][0];
      const email = rng() < 0.92 ? `person${id}@${code.toLowerCase()}.gov.example` : null;
      const phone = rng() < 0.5 ? `+${int(rng, 1, 998)} ${int(rng, 100, 999)} ${int(rng, 1000, 9999)}` : null;
      const dietary = rng() < 0.08 ? pick(rng, ["Vegetarian", "Halal", "No pork", "Gluten-free"]) : null;
      const access = rng() < 0.02 ? "Step-free access" : null;
      person.run(id, given, family, email, phone, sex, organisation, POSITIONS[roleCategory], roleCategory, code, dietary, access, null, stamp, stamp);
    }
  })();

  // --- plan the events -----------------------------------------------------------------------
  const eventTotal = n(2000, 4);
  const registrationTotal = n(60_000, 40);
  const bigRoster = Math.max(5, Math.round(500 * small));
  const gridParticipants = Math.max(3, Math.round(40 * small));
  const flagship = 0;
  const chooseProgramme = () => {
    const r = rng();
    if (r < 0.1 || programmeCount === 1) return flagship;
    if (r < 0.13) return null;
    return int(rng, 1, programmeCount - 1);
  };
  const plans: EventPlan[] = [];
  for (let i = 0; i < eventTotal - 2; i++) {
    const topic = int(rng, 0, TOPICS.length - 1);
    const c = int(rng, 0, C - 1);
    plans.push({
      title: "",
      topic,
      countryIndex: c,
      startDay: int(rng, firstDay, lastDay - 3),
      sessions: int(rng, 8, 12),
      roster: 0,
      programme: chooseProgramme(),
    });
  }
  // the two events the benchmark measures: well in the past, reported
  plans.push({ title: SCALE_BENCH_EVENTS.bigRoster, topic: 1, countryIndex: KE, startDay: todayDay - 400, sessions: 10, roster: bigRoster, programme: flagship, special: "bigRoster" });
  plans.push({ title: SCALE_BENCH_EVENTS.attendanceGrid, topic: 4, countryIndex: BS, startDay: todayDay - 200, sessions: 12, roster: gridParticipants + 1, programme: flagship, special: "attendanceGrid" });
  plans.sort((a, b) => a.startDay - b.startDay || a.countryIndex - b.countryIndex || a.topic - b.topic);

  const endDayOf = (p: EventPlan) => p.startDay + Math.ceil(p.sessions / SLOTS.length) - 1;
  const phaseOf = (p: EventPlan): Phase => (endDayOf(p) < todayDay ? "past" : p.startDay <= todayDay ? "ongoing" : "future");
  const statusOf = plans.map((p) => {
    const phase = phaseOf(p);
    if (p.special) return "reported";
    if (phase === "ongoing") return "in_progress";
    if (phase === "future") return p.startDay - todayDay > 90 && rng() < 0.3 ? "draft" : "open";
    const r = rng();
    return r < 0.03 ? "cancelled" : r < 0.45 ? "completed" : "reported";
  });
  // registrations shared out over the other events (drafts have none), each at least trainer + 2
  const fixed = plans.reduce((sum, p) => sum + (p.special ? p.roster : 0), 0);
  const weights = plans.map((p, i) => (p.special || statusOf[i] === "draft" ? 0 : 0.4 + rng() * 1.2));
  const shares = apportion(registrationTotal - fixed, weights);
  plans.forEach((p, i) => {
    if (!p.special) p.roster = weights[i] === 0 ? 0 : Math.max(3, shares[i]);
  });
  // the minimum of 3 may overshoot the exact total at tiny scales: take it back from the largest rosters
  let excess = plans.reduce((sum, p) => sum + p.roster, 0) - registrationTotal;
  for (const p of [...plans].filter((x) => !x.special).sort((a, b) => b.roster - a.roster)) {
    if (excess <= 0) break;
    const take = Math.min(excess, Math.max(0, p.roster - 3));
    p.roster -= take;
    excess -= take;
  }
  plans.forEach((p) => {
    if (!p.title) {
      const [topic, type] = TOPICS[p.topic];
      const kind = type === "training" ? "Training" : type === "workshop" ? "Workshop" : type === "seminar" ? "Seminar" : "Media Training";
      p.title = `${topic} — ${kind}, ${COUNTRIES[p.countryIndex][1]}`;
    }
  });

  // participant@example.org: the grid event, three other past Bahamas events and one upcoming one
  const bahamas = plans.map((p, i) => ({ p, i })).filter(({ p, i }) => p.countryIndex === BS && !p.special && plans[i].roster > 0);
  const participantEvents = new Map<number, RegistrationStatus>();
  participantEvents.set(plans.findIndex((p) => p.special === "attendanceGrid"), "confirmed");
  for (const { i } of bahamas.filter(({ i }) => statusOf[i] === "reported" || statusOf[i] === "completed").slice(-3)) participantEvents.set(i, "confirmed");
  const upcoming =
    bahamas.find(({ i }) => statusOf[i] === "open")?.i ?? plans.findIndex((p, i) => statusOf[i] === "open" && p.roster > 1);
  if (upcoming >= 0) participantEvents.set(upcoming, "confirmed");
  // facilitator@example.org teaches every session of the grid event and of a few others
  const facilitatorEvents = new Set<number>([plans.findIndex((p) => p.special === "attendanceGrid")]);
  for (let i = 0; i < plans.length && facilitatorEvents.size < 20; i += Math.max(1, Math.floor(plans.length / 19))) {
    if (plans[i].roster > 0) facilitatorEvents.add(i);
  }

  // --- events, sessions, registrations, attendance, certificates ------------------------------
  const eventStmt = ins("events", [
    "id", "title", "type", "description", "programme_id", "country", "locality", "venue", "time_zone", "start_date", "end_date",
    "capacity", "target_roles", "topics", "status", "contact_name", "contact_email", "registration_opens_at",
    "registration_closes_at", "completion_threshold", "requires_approval", "created_by_user_id", "created_at", "updated_at",
  ]);
  const partnerStmt = ins("event_partners", ["event_id", "organisation_id"]);
  const objectiveStmt = ins("event_gcm_objectives", ["event_id", "objective_id"]);
  const sessionStmt = ins("event_sessions", ["id", "event_id", "title", "kind", "starts_at", "ends_at", "room", "created_at", "updated_at"]);
  const facilitatorStmt = ins("session_facilitators", ["session_id", "user_id", "person_id"]);
  const registrationStmt = ins("registrations", [
    "id", "event_id", "person_id", "event_role", "status", "nominated_by_user_id", "status_changed_at", "note", "created_at", "updated_at",
  ]);
  const insertAttendance = insMany("attendance", ["registration_id", "session_id", "status", "method", "recorded_by_user_id", "recorded_at", "created_at", "updated_at"]);
  const marks: unknown[] = [];
  const certificateStmt = ins("certificates", ["registration_id", "code", "issued_at", "issued_by_user_id"]);

  const coordinator = DEMO_ACCOUNTS.find((a) => a.role === "coordinator")!;
  let sessionId = 0;
  let registrationId = 0;
  /** per event: its id, day range, country, and the person ids of its confirmed participants (action plans) */
  const held: {
    eventId: number;
    endDay: number;
    countryIndex: number;
    confirmed: number[];
    /** the confirmed participants' registrations, in the order of `confirmed` */
    registrations: number[];
    topic: number;
    phase: Phase;
    firstStart: number;
    lastEnd: number;
    special?: EventPlan["special"];
  }[] = [];
  const eventsByCountry: { id: number; startDay: number; endDay: number }[][] = COUNTRIES.map(() => []);

  const writeEvent = (index: number) => {
    const p = plans[index];
    const eventId = index + 1;
    const status = statusOf[index];
    const phase = phaseOf(p);
    const endDay = endDayOf(p);
    const c = p.countryIndex;
    const zone = zones[c];
    const [topicTitle, type, words] = TOPICS[p.topic];
    const participantsPlanned = Math.max(0, p.roster - 1);
    const capacity = p.special ? null : Math.max(participantsPlanned, 10 + 5 * Math.ceil(participantsPlanned / 5));
    const opensAt = status === "open" ? dayMs(p.startDay - 60) : null;
    const closesAt = status === "open" ? dayMs(p.startDay - 3) : null;
    const createdAt = dayMs(p.startDay - int(rng, 60, 120));
    eventStmt.run(
      eventId, p.title, type, `${topicTitle}: a ${Math.ceil(p.sessions / SLOTS.length)}-day ${type.replace("_", " ")} for government officers.`,
      p.programme === null ? null : p.programme + 1, COUNTRIES[c][0], COUNTRIES[c][1], pick(rng, VENUES), zone,
      dayString(p.startDay), dayString(endDay), capacity,
      JSON.stringify([pick(rng, ROLE_CATEGORIES), pick(rng, ROLE_CATEGORIES)].filter((v, i, a) => a.indexOf(v) === i)),
      JSON.stringify(words.slice(0, 2)), status, coordinator.name, coordinator.email, opensAt, closesAt, 80,
      rng() < 0.3 ? 1 : 0, coordinatorId, createdAt, Math.max(createdAt, dayMs(Math.min(endDay + 7, todayDay))),
    );
    eventsByCountry[c].push({ id: eventId, startDay: p.startDay, endDay });
    const partners = new Set<number>([c === BS && rng() < 0.7 ? agencyIds[c][0] : pick(rng, agencyIds[c])]);
    if (rng() < 0.4) partners.add(pick(rng, agencyIds[c]));
    for (const o of partners) partnerStmt.run(eventId, o);
    const objectives = new Set<number>();
    for (let k = int(rng, 1, 3); k > 0; k--) objectives.add(int(rng, 1, 23));
    for (const o of objectives) objectiveStmt.run(eventId, o);

    // sessions: four slots a day, wall-clock times in the event's zone
    const byUser = facilitatorEvents.has(index);
    const trainer = byUser ? 2 : 3 + int(rng, 0, trainerCount - 1);
    const sessions: { id: number; startsAt: number; endsAt: number }[] = [];
    let dayStart = 0;
    for (let s = 0; s < p.sessions; s++) {
      const slot = s % SLOTS.length;
      // one zone conversion a day, at the first slot (no zone changes its clocks between 09:00 and 16:30)
      if (slot === 0) dayStart = zonedToUtc(dayString(p.startDay + s / SLOTS.length), "09:00", zone).getTime() - SLOTS[0][0] * MINUTE_MS;
      const startsAt = dayStart + SLOTS[slot][0] * MINUTE_MS;
      const endsAt = dayStart + SLOTS[slot][1] * MINUTE_MS;
      const kind: SessionKind = s === 0 ? "opening" : s === p.sessions - 1 ? "discussion" : (["presentation", "exercise", "group_work", "presentation"] as const)[s % 4];
      const title = s === 0 ? "Opening and objectives" : s === p.sessions - 1 ? "Evaluation and closing" : `${words[s % words.length]}${s >= words.length ? ` (part ${Math.floor(s / words.length) + 1})` : ""}`;
      sessionStmt.run(++sessionId, eventId, title, kind, startsAt, endsAt, "Plenary room", dayMs(p.startDay - 30), dayMs(p.startDay - 30));
      facilitatorStmt.run(sessionId, byUser ? facilitatorUserId : null, byUser ? null : trainer);
      sessions.push({ id: sessionId, startsAt, endsAt });
    }
    if (p.roster === 0) return;

    // the roster: the trainer, then participants (mostly from the event's country)
    const chosen = new Set<number>([trainer]);
    const people: number[] = [];
    if (participantEvents.has(index)) {
      chosen.add(1);
      people.push(1);
    }
    const pool = countryPoolSize(c);
    const local = p.special === "bigRoster" ? 0 : pool >= 2 * p.roster ? 0.9 : 0.5;
    while (people.length < p.roster - 1) {
      let id: number;
      if (rng() < local && pool > 0) id = OFFSET + c + int(rng, 0, pool - 1) * C;
      else id = OFFSET + int(rng, 0, officerCount - 1);
      if (chosen.has(id)) continue;
      chosen.add(id);
      people.push(id);
    }
    const registrationDay = p.startDay - int(rng, 14, 45);
    registrationStmt.run(++registrationId, eventId, trainer, "facilitator", "confirmed", null, dayMs(registrationDay), null, dayMs(registrationDay), dayMs(registrationDay));
    const heldRecord = {
      eventId, endDay, countryIndex: c, confirmed: [] as number[], registrations: [] as number[], topic: p.topic, phase,
      firstStart: sessions[0].startsAt, lastEnd: sessions[sessions.length - 1].endsAt, special: p.special,
    };
    const statusWeights: readonly (readonly [RegistrationStatus, number])[] =
      status === "cancelled"
        ? [["cancelled", 1]]
        : phase === "future"
          ? [["confirmed", 45], ["nominated", 20], ["applied", 20], ["waitlisted", 10], ["declined", 5]]
          : p.special === "attendanceGrid"
            ? [["confirmed", 1]]
            : [["confirmed", 82], ["declined", 4], ["cancelled", 5], ["waitlisted", 4], ["nominated", 3], ["applied", 2]];
    const attendanceUntil = phase === "past" ? Infinity : phase === "ongoing" ? todayMs : -Infinity;
    const recordedBy = byUser ? facilitatorUserId : coordinatorId;
    for (const personId of people) {
      const id = ++registrationId;
      const own = personId === 1 ? participantEvents.get(index) : undefined;
      const role = own || p.special || rng() >= 0.02 ? "participant" : "observer";
      const regStatus = own && status !== "cancelled" ? own : weighted(rng, statusWeights);
      const nominatedBy = countryOfPerson(personId) === BS && rng() < 0.5 ? partnerUserId : rng() < 0.3 ? coordinatorId : null;
      const at = dayMs(registrationDay + int(rng, 0, 10));
      registrationStmt.run(id, eventId, personId, role, regStatus, nominatedBy, at, null, at, at);
      if (role !== "participant" || regStatus !== "confirmed") continue;
      heldRecord.confirmed.push(personId);
      heldRecord.registrations.push(id);
      // attendance at every session that has taken place
      const reliable = personId === 1 || rng() < 0.88;
      let attended = 0;
      let excused = 0;
      marks.length = 0;
      for (const s of sessions) {
        if (s.endsAt > attendanceUntil) continue;
        const r = rng();
        const mark: AttendanceStatus = reliable
          ? r < 0.93 ? "present" : r < 0.98 ? "late" : r < 0.995 ? "absent" : "excused"
          : r < 0.6 ? "present" : r < 0.7 ? "late" : r < 0.95 ? "absent" : "excused";
        const m = rng();
        const method = m < 0.7 ? "manual" : m < 0.95 ? "qr" : "code";
        const by = method === "manual" ? recordedBy : null;
        const when = method === "manual" ? s.endsAt : s.startsAt + int(rng, 0, 20) * MINUTE_MS;
        marks.push(id, s.id, mark, method, by, when, when, when);
        if (mark === "present" || mark === "late") attended++;
        if (mark === "excused") excused++;
      }
      insertAttendance(marks);
      const counted = p.sessions - excused;
      if ((status === "completed" || status === "reported") && counted > 0 && attended * 100 >= 80 * counted) {
        certificateStmt.run(id, certificateCode(id), dayMs(endDay + 3) + 15 * 60 * MINUTE_MS, coordinatorId);
      }
    }
    if (phase !== "future" && status !== "cancelled") held.push(heldRecord);
  };

  const CHUNK = 200;
  for (let from = 0; from < plans.length; from += CHUNK) {
    sqlite.transaction(() => {
      for (let i = from; i < Math.min(plans.length, from + CHUNK); i++) writeEvent(i);
    })();
    if (from % 2000 === 0 && from > 0) log(`  events ${from}/${plans.length} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  log(`  events, sessions, registrations, attendance, certificates written (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // --- action plans: shared out over held events by their number of confirmed participants -----
  const planTotal = n(20_000);
  const pastHeld = held.filter((h) => h.endDay < todayDay);
  const quotas = apportion(planTotal, pastHeld.map((h) => h.confirmed.length)).map((q, i) => Math.min(q, pastHeld[i].confirmed.length));
  const planStmt = ins("action_plans", ["id", "event_id", "title", "status", "is_template", "submitted_at", "created_at", "updated_at"]);
  const memberStmt = ins("action_plan_members", ["plan_id", "person_id"]);
  const itemStmt = ins("action_plan_items", [
    "id", "plan_id", "position", "action", "target_date", "responsible", "indicator", "status", "validated_at", "validated_by_user_id", "created_at", "updated_at",
  ]);
  const updateStmt = ins("action_plan_updates", ["item_id", "author_user_id", "note", "status_after", "created_at"]);
  const commentStmt = ins("action_plan_comments", ["plan_id", "author_user_id", "body", "created_at"]);
  let planId = 0;
  let itemId = 0;
  sqlite.transaction(() => {
    pastHeld.forEach((h, k) => {
      // the first confirmed participant writes the first plan: participant@example.org has one for each past event
      const members = h.confirmed;
      let next = 0;
      for (let q = 0; q < quotas[k]; q++) {
        const id = ++planId;
        const author = members[next++];
        const submitted = author === 1 || rng() < 0.85;
        const created = dayMs(h.endDay + int(rng, 1, 10));
        const submittedAt = submitted ? created + int(rng, 1, 20) * DAY_MS : null;
        planStmt.run(id, h.eventId, `Action plan: ${TOPICS[h.topic][0]}`, submitted ? "submitted" : "draft", 0, submittedAt, created, submittedAt ?? created);
        memberStmt.run(id, author);
        // a group plan now and then: the next participant joins (and writes no plan of their own)
        if (rng() < 0.1 && next < members.length && quotas[k] - q - 1 < members.length - next) memberStmt.run(id, members[next++]);
        const age = todayDay - h.endDay;
        for (let position = 0, items = int(rng, 2, 4); position < items; position++) {
          const item = ++itemId;
          const r = rng();
          const itemStatus = age < 30 ? (r < 0.7 ? "planned" : "in_progress") : r < 0.45 ? "done" : r < 0.75 ? "in_progress" : r < 0.9 ? "planned" : "blocked";
          const validated = itemStatus === "done" && rng() < 0.4;
          const validatedAt = validated ? dayMs(Math.min(todayDay - 1, h.endDay + int(rng, 40, 200))) : null;
          itemStmt.run(item, id, position, ACTIONS[(position + id) % ACTIONS.length], dayString(h.endDay + int(rng, 30, 180)), rng() < 0.6 ? "Myself" : "My unit", rng() < 0.5 ? "Colleagues briefed" : null, itemStatus, validatedAt, validated ? coordinatorId : null, created, created);
          if (!submitted) continue;
          for (let u = int(rng, 0, 3); u > 0 && age > 14; u--) {
            const at = dayMs(Math.min(todayDay - 1, h.endDay + int(rng, 14, Math.max(15, Math.min(age, 300)))));
            updateStmt.run(item, author === 1 ? participantUserId : null, pick(rng, UPDATE_NOTES), u === 1 ? itemStatus : null, at);
          }
        }
        if (submitted && rng() < 0.25) commentStmt.run(id, coordinatorId, "Thank you — please add a date for the first step.", (submittedAt ?? created) + 2 * DAY_MS);
      }
    });
  })();

  // --- follow-up requests (a quarter scheduled, each turned into a later event in its country) ---
  const followUpTotal = n(1000);
  const followUpStmt = ins("follow_up_requests", [
    "id", "title", "description", "country", "localities", "target_audience", "role_categories", "estimated_participants",
    "desired_from", "desired_to", "priority", "status", "requesting_organisation_id", "origin_event_id", "created_by_user_id", "created_at", "updated_at",
  ]);
  const entryStmt = ins("follow_up_request_entries", ["request_id", "author_user_id", "from_status", "to_status", "comment", "created_at"]);
  const linkStmt = sqlite.prepare("UPDATE events SET origin_follow_up_request_id = ? WHERE id = ?");
  const linked = new Set<number>();
  const STEPS = ["received", "under_review", "accepted", "scheduled"] as const;
  sqlite.transaction(() => {
    for (let id = 1; id <= followUpTotal; id++) {
      const c = int(rng, 0, C - 1);
      const createdDay = int(rng, firstDay + 60, todayDay - 1);
      const before = eventsByCountry[c].filter((e) => e.endDay < createdDay);
      const origin = before.length > 0 && rng() < 0.8 ? before[int(rng, 0, before.length - 1)] : null;
      const r = rng();
      let status = r < 0.25 ? "received" : r < 0.45 ? "under_review" : r < 0.6 ? "accepted" : r < 0.85 ? "scheduled" : "declined";
      const later = status === "scheduled" ? eventsByCountry[c].find((e) => e.startDay > createdDay + 30 && !linked.has(e.id)) : undefined;
      if (status === "scheduled" && !later) status = "accepted";
      const from = createdDay + int(rng, 60, 180);
      followUpStmt.run(
        id, `Follow-up training for officers in ${COUNTRIES[c][1]}`, "Officers trained last year asked for a follow-up on victim identification for their colleagues.",
        COUNTRIES[c][0], JSON.stringify([COUNTRIES[c][1]]), "Front-line officers", JSON.stringify([pick(rng, ROLE_CATEGORIES)]),
        int(rng, 10, 60), dayString(from), dayString(from + int(rng, 0, 60)), pick(rng, ["low", "normal", "normal", "high"] as const), status,
        pick(rng, agencyIds[c]), origin?.id ?? null, c === BS && rng() < 0.5 ? partnerUserId : coordinatorId, dayMs(createdDay), dayMs(createdDay + 20),
      );
      entryStmt.run(id, coordinatorId, null, "received", null, dayMs(createdDay));
      const steps = status === "declined" ? ["under_review", "declined"] : STEPS.slice(1, STEPS.indexOf(status as (typeof STEPS)[number]) + 1);
      let prev = "received";
      steps.forEach((to, k) => {
        entryStmt.run(id, coordinatorId, prev, to, k === steps.length - 1 && to === "declined" ? "Outside the programme's scope." : null, dayMs(createdDay + 5 * (k + 1)));
        prev = to;
      });
      if (later) {
        linked.add(later.id);
        linkStmt.run(id, later.id);
      }
    }
  })();

  // --- checks and finish ---------------------------------------------------------------------
  log(`  action plans and follow-up requests written (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  writeEvaluation({ sqlite, held, seed: options.seed ?? 11, todayDay, todayMs, coordinatorId, insMany, ins });
  log(`  knowledge tests and feedback written (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const countsMigration = fs.readFileSync(path.join(MIGRATIONS_FOLDER, "0007_stored_attendance_counts.sql"), "utf8");
  for (const statement of countsMigration.split("--> statement-breakpoint")) {
    if (/^\s*(--[^\n]*\n\s*)*UPDATE/i.test(statement)) sqlite.exec(statement);
  }
  for (const t of triggers) sqlite.exec(t.sql);
  sqlite.exec("UPDATE data_versions SET n = n + 1");
  sqlite.exec("ANALYZE");
  log(`  attendance counted, triggers back, statistics gathered (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  sqlite.pragma("foreign_keys = ON");
  const broken = sqlite.pragma("foreign_key_check") as unknown[];
  if (broken.length > 0) throw new Error(`scale data has ${broken.length} broken references, e.g. ${JSON.stringify(broken[0])}`);
  log(`  references checked (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  // the demo logins as on the demo: their refused `demo-password` kept, the administrator's and
  // coordinator's second factor the demo's printed key (the benchmark signs in with both)
  sqlite.prepare("INSERT INTO app_settings (key, value) VALUES (?, '1') ON CONFLICT DO NOTHING").run(DEMO_DATA_SETTING);
  await seedDemoSecondFactors(db);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.pragma("synchronous = NORMAL");
  const counts = countRows(sqlite);
  sqlite.close();
  return { file, scale, today, ms: Math.round(performance.now() - started), counts };
}

export const COUNTED_TABLES = [
  "organisations", "programmes", "programme_funding", "users", "people", "events", "event_partners", "event_gcm_objectives",
  "event_sessions", "session_facilitators", "registrations", "attendance", "certificates", "action_plans", "action_plan_members",
  "action_plan_items", "action_plan_updates", "action_plan_comments", "follow_up_requests", "follow_up_request_entries",
  "knowledge_tests", "knowledge_test_questions", "knowledge_test_options", "knowledge_test_attempts", "knowledge_test_answers",
  "feedback_forms", "feedback_respondents", "feedback_answers",
] as const;

// ---------------------------------------------------------------------------------------------
// Knowledge tests and feedback

/** Questions of a generated test (10: enough for per-question difficulty, few enough for millions of attempts). */
export const SCALE_TEST_QUESTIONS = 10;
/** Share of held events with a test, and of past events with a (closed) feedback form. */
const TEST_SHARE = 0.65;
const FEEDBACK_SHARE = 0.8;
/**
 * Online attempts keep one row per chosen option (knowledge_test_answers); at scale 10 that would
 * be ~7 million rows for five years. Only events that ended in the last year (and the events the
 * benchmark measures) have online attempts with their answers; older events' scores were typed in
 * from paper sheets (source 'paper', no answers) — as they were before Convene took tests online.
 */
const ONLINE_ANSWERS_DAYS = 365;

type Held = {
  eventId: number;
  endDay: number;
  confirmed: number[];
  registrations: number[];
  topic: number;
  phase: Phase;
  firstStart: number;
  lastEnd: number;
  special?: EventPlan["special"];
};

function writeEvaluation(args: {
  sqlite: ReturnType<typeof openDatabase>["$client"];
  held: Held[];
  seed: number;
  todayDay: number;
  todayMs: number;
  coordinatorId: string;
  insMany: (table: string, columns: string[]) => (values: unknown[]) => void;
  ins: (table: string, columns: string[]) => { run: (...values: unknown[]) => unknown };
}) {
  const { sqlite, held, todayDay, todayMs, coordinatorId, insMany, ins } = args;
  // a PRNG of its own: adding tests and feedback left every other generated value as it was
  const rng = mulberry32((args.seed ^ 0xe7a1) >>> 0);
  const testStmt = ins("knowledge_tests", ["id", "event_id", "pre_opens_at", "pre_closes_at", "post_opens_at", "post_closes_at", "created_at", "updated_at"]);
  const questionStmt = ins("knowledge_test_questions", ["id", "test_id", "position", "kind", "prompt", "explanation", "created_at", "updated_at"]);
  const optionRows = insMany("knowledge_test_options", ["id", "question_id", "position", "label", "is_correct"]);
  const attemptCols = ["id", "test_id", "registration_id", "phase", "source", "correct", "total", "submitted_at", "recorded_by_user_id", "created_at", "updated_at"];
  const attemptRows = insMany("knowledge_test_attempts", attemptCols);
  const answerRows = insMany("knowledge_test_answers", ["attempt_id", "question_id", "option_id"]);
  const formStmt = ins("feedback_forms", ["id", "event_id", "opened_at", "opened_by_user_id", "closed_at", "reminder_sent_at", "created_at", "updated_at"]);
  const respondentRows = insMany("feedback_respondents", ["form_id", "person_id"]);
  const feedbackRows = insMany("feedback_answers", ["id", "form_id", "rating_overall", "rating_content", "rating_facilitators", "rating_relevance", "rating_confidence", "comment", "cell_key"]);
  // the answers' disclosure-control keys (0–99) in their own INSERT, from a PRNG of their own
  const answerKeyRng = mulberry32((args.seed ^ 0xfeed) >>> 0);
  const BATCH = 100; // rows per multi-row INSERT (well under SQLite's 32,766 parameters)
  /** Write whole batches of `rows` rows (one prepared statement per size), and the rest when `force`. */
  const flush = (buffer: unknown[], width: number, write: (values: unknown[]) => void, force = false, rows = BATCH) => {
    while (buffer.length >= rows * width) write(buffer.splice(0, rows * width));
    if (force && buffer.length > 0) write(buffer.splice(0, buffer.length));
  };
  const hex = () => Array.from({ length: 4 }, () => Math.floor(rng() * 0x100000000).toString(16).padStart(8, "0")).join("");
  const COMMENTS = [
    "Very practical; the case studies were close to what we see at work.",
    "More time for the exercises, please.",
    "The referral part should be a full session.",
    "Useful for my daily work at the port.",
    "Some presentations were too long.",
    "I would like a follow-up training for my colleagues.",
  ];
  let testId = 0;
  let questionId = 0;
  let optionId = 0;
  let attemptId = 0;
  let formId = 0;
  const attempts: unknown[] = [];
  const answers: unknown[] = [];
  const respondents: unknown[] = [];
  const ratings: unknown[] = [];
  const CHUNK = 200;
  for (let from = 0; from < held.length; from += CHUNK) {
    sqlite.transaction(() => {
      for (const h of held.slice(from, from + CHUNK)) {
        const hasTest = h.special !== undefined || rng() < TEST_SHARE;
        const past = h.phase === "past";
        if (hasTest && h.registrations.length > 0) {
          const id = ++testId;
          const preOpens = h.firstStart - 30 * 60_000;
          const preCloses = h.firstStart + 30 * 60_000;
          const postOpens = h.lastEnd - 45 * 60_000;
          const postCloses = past ? h.lastEnd + 30 * 60_000 : null;
          testStmt.run(id, h.eventId, preOpens, preCloses, past ? postOpens : null, postCloses, preOpens - 7 * DAY_MS, preOpens - 7 * DAY_MS);
          // ten questions: single choice, true/false and now and then multiple choice
          const words = TOPICS[h.topic][2];
          const questions: { id: number; correct: number[]; wrong: number[]; kind: string; ease: [number, number] }[] = [];
          for (let k = 0; k < SCALE_TEST_QUESTIONS; k++) {
            const qid = ++questionId;
            const kind = k % 5 === 4 ? "multiple" : k % 3 === 2 ? "true_false" : "single";
            const topic = words[k % words.length];
            const prompt =
              kind === "true_false"
                ? `True or false: ${topic.toLowerCase()} is covered by the national procedures (statement ${k + 1}).`
                : kind === "multiple"
                  ? `${topic}: which of these statements are correct? Choose all that apply.`
                  : `${topic}: which of these is the right first step?`;
            questionStmt.run(qid, id, k + 1, kind, prompt, `See the session on ${topic.toLowerCase()}.`, preOpens - 7 * DAY_MS, preOpens - 7 * DAY_MS);
            const labels = kind === "true_false" ? ["true", "false"] : ["A", "B", "C", "D"].map((l) => `${topic} — answer ${l}`);
            const correctAt = kind === "true_false" ? [k % 2] : kind === "multiple" ? [0, 2] : [k % 4];
            const options: unknown[] = [];
            const correct: number[] = [];
            const wrong: number[] = [];
            labels.forEach((label, position) => {
              const oid = ++optionId;
              const isCorrect = correctAt.includes(position);
              options.push(oid, qid, position + 1, label, isCorrect ? 1 : 0);
              (isCorrect ? correct : wrong).push(oid);
            });
            optionRows(options);
            const pre = 0.3 + rng() * 0.4;
            questions.push({ id: qid, correct, wrong, kind, ease: [pre, Math.min(0.97, pre + 0.1 + rng() * 0.35)] });
          }
          const detailed = h.special !== undefined || h.endDay >= todayDay - ONLINE_ANSWERS_DAYS;
          const write = (registrationId: number, phase: "pre" | "post", ability: number, at: number) => {
            const aid = ++attemptId;
            let right = 0;
            const chosen: unknown[] = [];
            for (const q of questions) {
              const ok = rng() < q.ease[phase === "pre" ? 0 : 1] + ability;
              if (ok) right++;
              if (!detailed) continue;
              const picked = ok ? q.correct : q.kind === "multiple" ? [q.correct[0]] : [q.wrong[Math.floor(rng() * q.wrong.length)]];
              for (const o of picked) chosen.push(aid, q.id, o);
            }
            attempts.push(aid, id, registrationId, phase, detailed ? "online" : "paper", right, SCALE_TEST_QUESTIONS, at, detailed ? null : coordinatorId, at - 10 * 60_000, at);
            if (detailed) answers.push(...chosen);
          };
          for (const registrationId of h.registrations) {
            const ability = (rng() - 0.5) * 0.3;
            if (rng() < 0.95) write(registrationId, "pre", ability, preOpens + Math.floor(rng() * 50) * 60_000);
            if (past && rng() < 0.9) write(registrationId, "post", ability + (rng() < 0.1 ? -0.25 : 0), postOpens + Math.floor(rng() * 70) * 60_000);
            flush(attempts, attemptCols.length, attemptRows);
            flush(answers, 3, answerRows, false, 1000);
          }
        }
        // a closed feedback form for most past events, answered by about three in four
        if (past && h.confirmed.length > 0 && (h.special !== undefined || rng() < FEEDBACK_SHARE)) {
          const id = ++formId;
          const opened = h.lastEnd - 30 * 60_000;
          const closed = Math.min(todayMs - DAY_MS, h.lastEnd + 7 * DAY_MS);
          formStmt.run(id, h.eventId, opened, coordinatorId, Math.max(closed, opened + 60_000), null, opened, opened);
          const quality = 3.4 + rng() * 1.3;
          const rate = () => Math.max(1, Math.min(5, Math.round(quality + (rng() - 0.5) * 2.2)));
          let answered = 0;
          for (const personId of h.confirmed) {
            if (rng() >= 0.75) continue;
            answered++;
            respondents.push(id, personId);
            flush(respondents, 2, respondentRows, false, 500);
          }
          // the answers carry no person and come in no respondent's order
          for (let k = 0; k < answered; k++) {
            ratings.push(hex(), id, rate(), rate(), rate(), rate(), rate(), rng() < 0.15 ? COMMENTS[Math.floor(rng() * COMMENTS.length)] : null, Math.floor(answerKeyRng() * KEY_MODULUS));
            flush(ratings, 9, feedbackRows);
          }
        }
      }
      flush(attempts, attemptCols.length, attemptRows, true);
      flush(answers, 3, answerRows, true);
      flush(respondents, 2, respondentRows, true);
      flush(ratings, 9, feedbackRows, true);
    })();
  }
}

export function countRows(sqlite: { prepare: (sql: string) => { get: () => unknown } }): Record<string, number> {
  return Object.fromEntries(
    COUNTED_TABLES.map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv: string[]): ScaleOptions {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scale = Number(value("--scale") ?? "1");
  const out = value("--out") ?? `data/bench-${scale}.db`;
  const seed = value("--seed");
  return { scale, out, today: value("--today"), seed: seed === undefined ? undefined : Number(seed), force: argv.includes("--force") };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(`Generating scale ${options.scale} into ${options.out} …`);
  const result = await generateScaleData({ ...options, log: (line) => console.log(line) });
  const width = Math.max(...Object.keys(result.counts).map((k) => k.length));
  for (const [table, count] of Object.entries(result.counts)) console.log(`  ${table.padEnd(width)}  ${count.toLocaleString("en")}`);
  const size = fs.statSync(result.file).size / 1024 / 1024;
  console.log(`Scale ${result.scale} (today ${result.today}) written to ${options.out} in ${(result.ms / 1000).toFixed(1)} s (${size.toFixed(0)} MB)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
