import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, toCsv } from "~/lib/csv";
import { rosterTable } from "~/lib/export-tables.server";

/** roster.csv: the (filtered) roster with personal data — coordinators and admins only; every export is audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const table = await rosterTable(request, params, "csv");
  return csvResponse(request, `${table.name}.csv`, toCsv(table.header, table.rows));
}
