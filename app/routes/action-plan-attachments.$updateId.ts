import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { idParam } from "~/lib/params";
import { getAttachment } from "~/models/action-plans.server";
import { contentDisposition } from "~/lib/file-names";

/**
 * /action-plan-attachments/:updateId — the file attached to a progress update, for those who may
 * see its plan (anyone else: 404). Always a download (never rendered by the browser, whatever it
 * contains), never cached by shared caches.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const attachment = await getAttachment(user, idParam(params.updateId));
  const body = createReadableStreamFromReadable(fs.createReadStream(attachment.file));
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(attachment.size),
      "Content-Disposition": contentDisposition(attachment.name),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
