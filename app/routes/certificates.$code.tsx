import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { PageHeader } from "~/components/ui/page";
import { formatDay, formatDayRange } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { publicCertificateVerification } from "~/models/certificates.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["certificates", "personalData"] };

export const meta: MetaFunction = ({ matches }) => [
  ...pageTitle(matches, "certificates.verify.title"),
  // the page names a person: it is for those given the code, not for search engines
  { name: "robots", content: "noindex, nofollow" },
];

/**
 * /certificates/:code — the PUBLIC check of a certificate (no login: employers, other agencies).
 * It shows the holder's name, the training, its dates and whether the certificate is valid (or
 * since when it is revoked) — nothing else. An unknown code is a 404 that says so.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const asked = (params.code ?? "").slice(0, 40);
  const found = await publicCertificateVerification(asked);
  if (!found) return data({ state: "unknown" as const, code: asked }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return data(found, { headers: { "Cache-Control": "no-store" } });
}

export default function CertificateVerification() {
  const result = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  if (result.state === "unknown") {
    return (
      <div className="mx-auto max-w-2xl">
        <PageHeader title={t("certificates.verify.title")} />
        <section className="rounded-lg border border-slate-300 bg-white p-6 shadow-sm" aria-labelledby="verdict">
          <h2 id="verdict" className="flex items-center gap-2 text-xl font-semibold text-slate-900">
            <span aria-hidden="true" className="inline-flex size-7 items-center justify-center rounded-full bg-slate-200 text-base">{"?"}</span>
            {t("certificates.verify.unknown")}
          </h2>
          <p className="mt-2 text-slate-700">{t("certificates.verify.unknownBody", { code: result.code })}</p>
        </section>
      </div>
    );
  }
  const valid = result.state === "valid";
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={t("certificates.verify.title")} />
      <section
        className={`rounded-lg border bg-white p-6 shadow-sm ${valid ? "border-green-300" : "border-red-300"}`}
        aria-labelledby="verdict"
      >
        <h2 id="verdict" className={`flex items-center gap-2 text-xl font-semibold ${valid ? "text-green-800" : "text-red-800"}`}>
          <span
            aria-hidden="true"
            className={`inline-flex size-7 items-center justify-center rounded-full text-base text-white ${valid ? "bg-green-700" : "bg-red-700"}`}
          >
            {valid ? "✓" : "✕"}
          </span>
          {t(valid ? "certificates.verify.valid" : "certificates.verify.revoked")}
        </h2>
        <p className="mt-2 text-slate-700">
          {valid
            ? t("certificates.verify.validBody")
            : t("certificates.verify.revokedBody", { date: result.revokedOn ? formatDay(result.revokedOn, locale, "long") : "" })}
        </p>
        <dl className="mt-5 grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
          <dt className="text-sm font-medium text-slate-600">{t("certificates.verify.holder")}</dt>
          {result.name !== null ? (
            <dd className="text-lg font-semibold"><bdi>{result.name}</bdi></dd>
          ) : (
            <dd className="text-slate-700">{t("personalData.certificateHolder")}</dd>
          )}
          <dt className="text-sm font-medium text-slate-600">{t("certificates.verify.event")}</dt>
          <dd><bdi>{result.eventTitle}</bdi></dd>
          <dt className="text-sm font-medium text-slate-600">{t("certificates.verify.dates")}</dt>
          <dd>{formatDayRange(result.startDate, result.endDate, locale)}</dd>
          <dt className="text-sm font-medium text-slate-600">{t("certificates.verify.code")}</dt>
          <dd><span className="font-mono" dir="ltr">{result.code}</span></dd>
        </dl>
      </section>
    </div>
  );
}
