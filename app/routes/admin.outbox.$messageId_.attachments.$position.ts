import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/session.server";
import { idParam } from "~/lib/params";
import { getOutboxAttachment } from "~/models/outbox.server";
import { contentDisposition } from "~/lib/file-names";

/**
 * /admin/outbox/:messageId/attachments/:position — the n-th file (from 1) sent with an email,
 * exactly as it was sent, for admins only. Always a download (never rendered by the browser,
 * whatever its type claims), never cached by shared caches.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const file = await getOutboxAttachment(actor, idParam(params.messageId), idParam(params.position) - 1);
  return new Response(file.content, {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(file.content.byteLength),
      "Content-Disposition": contentDisposition(file.filename),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
