import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, toCsv } from "~/lib/csv";
import { attendanceTable } from "~/lib/export-tables.server";

/**
 * attendance.csv: one row per participant × session (status, who recorded it and when), then one
 * total row per participant (attended, counted, rate, completed). Times in the event's zone.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const table = await attendanceTable(request, params);
  return csvResponse(request, `${table.name}.csv`, toCsv(table.header, table.rows));
}
