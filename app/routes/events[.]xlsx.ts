import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventsListTable } from "~/lib/export-tables.server";
import { toXlsx, xlsxResponse } from "~/lib/xlsx.server";

/** /events.xlsx: the filtered events list as /events.csv gives it, in an Excel sheet with typed cells. */
export async function loader({ request }: LoaderFunctionArgs) {
  const table = await eventsListTable(request);
  return xlsxResponse(`${table.name}.xlsx`, await toXlsx(table));
}
