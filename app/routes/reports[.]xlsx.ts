import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportSummaryTable } from "~/lib/export-tables.server";
import { toXlsx, xlsxResponse } from "~/lib/xlsx.server";

/** /reports.xlsx: the activity summary as /reports.csv lays it out, with the same protection for donors and partners. */
export async function loader({ request }: LoaderFunctionArgs) {
  const table = await reportSummaryTable(request);
  return xlsxResponse(`${table.name}.xlsx`, await toXlsx(table));
}
