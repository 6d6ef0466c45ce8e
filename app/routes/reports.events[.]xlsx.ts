import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportEventsTable } from "~/lib/export-tables.server";
import { toXlsx, xlsxResponse } from "~/lib/xlsx.server";

/** /reports/events.xlsx: the events of an activity summary as /reports/events.csv gives them, in an Excel sheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  const table = await reportEventsTable(request);
  return xlsxResponse(`${table.name}.xlsx`, await toXlsx(table));
}
