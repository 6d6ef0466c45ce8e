import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, toCsv } from "~/lib/csv";
import { eventsListTable } from "~/lib/export-tables.server";

/** /events.csv: the filtered events list, for coordinators and admins. Headers in the user's language. */
export async function loader({ request }: LoaderFunctionArgs) {
  const table = await eventsListTable(request);
  return csvResponse(request, `${table.name}.csv`, toCsv(table.header, table.rows));
}
