import type { LoaderFunctionArgs } from "@remix-run/node";
import { rosterTable } from "~/lib/export-tables.server";
import { toXlsx, xlsxResponse } from "~/lib/xlsx.server";

/** roster.xlsx: the roster as roster.csv gives it (same readers, filters and audit), in an Excel sheet. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const table = await rosterTable(request, params, "xlsx");
  return xlsxResponse(`${table.name}.xlsx`, await toXlsx(table));
}
