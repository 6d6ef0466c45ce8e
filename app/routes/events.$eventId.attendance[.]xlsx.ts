import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendanceTable } from "~/lib/export-tables.server";
import { toXlsx, xlsxResponse } from "~/lib/xlsx.server";

/** attendance.xlsx: the attendance as attendance.csv gives it, session times as dates and times. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const table = await attendanceTable(request, params);
  return xlsxResponse(`${table.name}.xlsx`, await toXlsx(table));
}
