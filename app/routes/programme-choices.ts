import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { searchProgrammes } from "~/models/programmes.server";

/**
 * /programme-choices?q=… — the programmes the programme filter of the reports and of the events list
 * offers when there are too many to list (ProgrammeSelect): staff only (a donor's or partner's list
 * is theirs, and short).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin", "coordinator"]);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const programmes = await searchProgrammes(actor, q);
  return data({ programmes }, { headers: { "Cache-Control": "no-store" } });
}
