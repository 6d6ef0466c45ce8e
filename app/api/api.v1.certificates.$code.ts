import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiHandler, apiJson, methodNotAllowed, problem } from "~/lib/api.server";
import { publicCertificateVerification } from "~/models/certificates.server";

/**
 * GET /api/v1/certificates/:code: the verification of a certificate by its code — exactly the
 * public verification page's fields (valid or revoked, the holder's name, the event's title and
 * dates), for any token; 404 for a code no certificate has.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(request, {}, async (_actor, headers) => {
    const found = await publicCertificateVerification((params.code ?? "").slice(0, 40));
    if (!found) return problem(404, "not-found", "No certificate has this code", undefined, {}, headers);
    return apiJson(request, found, headers);
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request, "GET");
}
