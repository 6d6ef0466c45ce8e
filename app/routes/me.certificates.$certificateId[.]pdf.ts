import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { config } from "~/config.server";
import { pickLocale, remixI18n } from "~/i18n.server";
import { renderCertificatePdf } from "~/lib/certificate-pdf.server";
import { pdfResponse } from "~/lib/pdf.server";
import { idParam } from "~/lib/params";
import { certificatePdfData } from "~/models/certificates.server";

/**
 * /me/certificates/:id.pdf — a certificate of completion, for its holder and for admins and
 * coordinators (anyone else, and a revoked certificate: 404, since whose certificate it is is
 * private). Printed in the holder's language — a coordinator downloading it gets that language
 * too; without an account language, the reader's.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const certificate = await certificatePdfData(user, idParam(params.certificateId));
  const locale = pickLocale(certificate.locale ?? user.locale, await remixI18n.getLocale(request));
  const body = await renderCertificatePdf(certificate, { locale, appUrl: config().appUrl });
  return pdfResponse(`certificate-${certificate.code}.pdf`, body);
}
