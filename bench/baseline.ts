/**
 * The floor under the benchmark: the same pages' data work served by a bare node:http handler.
 *
 *   PORT=4000 DATABASE_PATH=data/bench-1.db node --import tsx bench/baseline.ts
 *
 * For each page it does what the route loaders of that page do (the root loader's session check,
 * the event layout's header, the page's own loader: the same model functions, hence the same
 * queries and the same session validations) and renders a minimal HTML string — no Express, no
 * Remix, no React. What the real server spends beyond this is the framework's cost.
 * /reports and /reports.csv (another issue's pages) and the API's lists call their route module's loader directly.
 */
import http from "node:http";
import { getSessionUser, requireRole, requireUser } from "~/auth/session.server";
import { parseEventFilters } from "~/lib/schemas/event-filters";
import { parseRosterFilters } from "~/lib/schemas/roster-filters";
import { pageParam } from "~/lib/params";
import { now } from "~/lib/clock";
import { attendanceGrid } from "~/models/attendance.server";
import { myCertificates } from "~/models/certificates.server";
import { eventFilterOptions, eventStatusHistory, getEventHeader, getEventOverview, listEvents } from "~/models/events.server";
import { homeFor } from "~/models/home.server";
import { getRoster, myRegistrations } from "~/models/registrations.server";
import { sql } from "drizzle-orm";
import { getDb, queryOne } from "../db/client";

const escapeHtml = (value: unknown) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/** A table of the given columns of each row. */
function table<T extends Record<string, unknown>>(rows: T[], columns: (keyof T)[]) {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(r[c])}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

type Handler = (request: Request, match: RegExpMatchArray) => Promise<string | Response>;

/** The root loader's work on every document request: who is signed in. */
async function root(request: Request) {
  await getSessionUser(request);
}

/** The event layout (events.$eventId.tsx): the shared header. */
async function eventLayout(request: Request, eventId: number) {
  const user = await requireUser(request);
  return await getEventHeader(user, eventId);
}

const routes: [RegExp, Handler][] = [
  [
    /^\/events$/,
    async (request) => {
      await root(request);
      const user = await requireUser(request);
      const result = await listEvents(user, parseEventFilters(new URL(request.url)));
      const options = await eventFilterOptions(user);
      const selects = `<select>${options.programmes.map((p) => `<option value="${p.id}">${escapeHtml(p.name)}</option>`).join("")}</select>
        <select>${options.countries.map((c) => `<option>${escapeHtml(c)}</option>`).join("")}</select>`;
      return page(
        `Events (${result.total})`,
        selects + table(result.rows, ["title", "type", "status", "country", "locality", "startDate", "endDate", "programmeName", "participants"]),
      );
    },
  ],
  [
    /^\/events\/(\d+)$/,
    async (request, match) => {
      const eventId = Number(match[1]);
      await root(request);
      await eventLayout(request, eventId);
      const user = await requireUser(request);
      const overview = await getEventOverview(user, eventId);
      const history = await eventStatusHistory(user, eventId);
      return page(
        overview.event.title,
        `<p>${escapeHtml(overview.event.description)}</p><p>${escapeHtml(overview.event.startDate)} – ${escapeHtml(overview.event.endDate)}, ${escapeHtml(overview.event.locality)}</p>` +
          table(overview.sessions, ["title", "kind", "startsAt", "endsAt", "room", "facilitators"]) +
          table(overview.partners, ["name"]) +
          table(overview.objectives, ["id", "title"]) +
          `<p>${escapeHtml(JSON.stringify(overview.participants))}</p>` +
          table(history, ["at", "by", "from", "to"]),
      );
    },
  ],
  [
    /^\/events\/(\d+)\/roster$/,
    async (request, match) => {
      const eventId = Number(match[1]);
      await root(request);
      const header = await eventLayout(request, eventId);
      const user = await requireUser(request);
      // the page's own query: one page of rows and the counts of all of them
      const url = new URL(request.url);
      const roster = await getRoster(user, eventId, parseRosterFilters(url), { page: pageParam(url) });
      return page(
        `${header.title}: roster`,
        table(roster.rows, ["givenName", "familyName", "email", "organisationName", "position", "eventRole", "status", "attended", "counted", "completed"]) +
          `<p>${escapeHtml(JSON.stringify(roster.counts))}</p>`,
      );
    },
  ],
  [
    /^\/events\/(\d+)\/attendance$/,
    async (request, match) => {
      const eventId = Number(match[1]);
      await root(request);
      const header = await eventLayout(request, eventId);
      const user = await requireUser(request);
      const grid = await attendanceGrid(user, eventId);
      const marks = new Map(grid.marks.map((m) => [`${m.registrationId}:${m.sessionId}`, m.status]));
      const head = grid.sessions.map((s) => `<th>${escapeHtml(s.title)}</th>`).join("");
      const rows = grid.participants
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.familyName)}, ${escapeHtml(p.givenName)}</td>${grid.sessions
              .map((s) => `<td>${escapeHtml(marks.get(`${p.registrationId}:${s.id}`) ?? "")}</td>`)
              .join("")}<td>${p.attended}/${p.counted}</td></tr>`,
        )
        .join("");
      return page(`${header.title}: attendance`, `<table><tr><th></th>${head}</tr>${rows}</table>`);
    },
  ],
  [
    /^\/me$/,
    async (request) => {
      await root(request);
      const user = await requireRole(request, ["participant"]);
      const home = await homeFor(user);
      const today = now().toISOString().slice(0, 10);
      const registrations = await myRegistrations(user);
      const plans = home.role === "participant" ? home.plans : [];
      const certificates = await myCertificates(user);
      const columns = ["title", "status", "startDate", "endDate", "locality", "country"] as const;
      return page(
        user.name,
        table(registrations.filter((r) => r.endDate >= today), [...columns]) +
          table(registrations.filter((r) => r.endDate < today), [...columns]) +
          table(plans, ["title", "status", "eventTitle"]) +
          table(certificates, ["code", "eventTitle", "startDate", "endDate"]),
      );
    },
  ],
  [/^\/events\/(\d+)\/tests$/, async (request, match) => await routeLoader("../app/routes/events.$eventId.tests.tsx", request, true, { eventId: match[1] })],
  [/^\/events\/(\d+)\/tests\/results$/, async (request, match) => await routeLoader("../app/routes/events.$eventId.tests_.results.tsx", request, true, { eventId: match[1] })],
  [/^\/reports$/, async (request) => await routeLoader("../app/routes/reports._index.tsx", request, true)],
  // the API's lists: their route modules answer JSON Responses themselves (token, rate limit, ETag: the API's own work)
  [/^\/api\/v1\/events$/, async (request) => await routeLoader("../app/api/api.v1.events.ts", request, false)],
  [/^\/api\/v1\/events\/(\d+)\/registrations$/, async (request, match) => await routeLoader("../app/api/api.v1.events_.$eventId_.registrations.ts", request, false, { eventId: match[1] })],
  [/^\/api\/v1\/events\/(\d+)\/attendance$/, async (request, match) => await routeLoader("../app/api/api.v1.events_.$eventId_.attendance.ts", request, false, { eventId: match[1] })],
  [/^\/reports\.csv$/, async (request) => await routeLoader("../app/routes/reports[.]csv.ts", request, false)],
  [/^\/reports\/events\.csv$/, async (request) => await routeLoader("../app/routes/reports.events[.]csv.ts", request, false)],
];

/** Pages whose model functions this file does not know: call the route module's loader itself. */
async function routeLoader(module: string, request: Request, document: boolean, params: Record<string, string> = {}): Promise<string | Response> {
  if (document) await root(request);
  const { loader } = (await import(module)) as { loader: (args: { request: Request; params: Record<string, string>; context: object }) => unknown };
  const result = await loader({ request, params, context: {} });
  if (result instanceof Response) return result;
  // `data(value, init)` results carry the value in .data
  const wrapped = result as { type?: unknown; data?: unknown } | null;
  const value = wrapped && typeof wrapped === "object" && wrapped.type === "DataWithResponseInit" ? wrapped.data : result;
  return page("Report", `<pre>${escapeHtml(JSON.stringify(value))}</pre>`);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/healthz") {
    await queryOne(getDb(), sql`select 1`);
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}');
    return;
  }
  const route = routes.find(([pattern]) => pattern.test(url.pathname));
  if (!route || req.method !== "GET") {
    res.writeHead(404).end("Not found");
    return;
  }
  const request = new Request(`http://127.0.0.1${req.url}`, { headers: { cookie: req.headers.cookie ?? "", authorization: req.headers.authorization ?? "" } });
  try {
    const out = await route[1](request, url.pathname.match(route[0])!);
    if (out instanceof Response) {
      const body = Buffer.from(await out.arrayBuffer());
      res.writeHead(out.status, Object.fromEntries(out.headers)).end(body);
    } else {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(out);
    }
  } catch (error) {
    // thrown Responses are redirects (not signed in), 403 and 404: pass them on; anything else is a 500
    if (error instanceof Response) {
      res.writeHead(error.status, Object.fromEntries(error.headers)).end(await error.text());
    } else {
      console.error(error);
      res.writeHead(500).end("Internal error");
    }
  }
});

const port = Number(process.env.PORT ?? 4000);
server.listen(port, "127.0.0.1", () => console.log(`baseline listening on http://127.0.0.1:${port} (database: ${process.env.DATABASE_PATH})`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
