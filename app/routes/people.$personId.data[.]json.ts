import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { idParam } from "~/lib/params";
import { exportPersonalData } from "~/models/personal-data.server";
import { contentDisposition } from "~/lib/file-names";

/**
 * /people/:personId/data.json — everything Convene holds about one person, for their request of
 * access: admins only (anyone else 403), a download never kept by any cache, and audited as an
 * export of personal data.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const personId = idParam(params.personId);
  const data = await exportPersonalData(actor, personId);
  return new Response(JSON.stringify(data, null, 2), {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition(`person-${personId}-data.json`),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
