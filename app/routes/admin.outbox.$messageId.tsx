import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, Notice, PageHeader } from "~/components/ui/page";
import { config } from "~/config.server";
import { redirectWithFlash } from "~/flash.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { pageTitle } from "~/lib/meta";
import { idParam } from "~/lib/params";
import { FieldError } from "~/models/field-error.server";
import { cancelMessage, getOutboxMessage, retryMessage } from "~/models/outbox.server";
import { readFormData } from "~/lib/form-data.server";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["errors", "outbox"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "outbox.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const message = await getOutboxMessage(actor, idParam(params.messageId));
  const cfg = config();
  return { message, from: cfg.mailFrom, mailKept: cfg.smtpUrl === null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  const id = idParam(params.messageId);
  const intent = (await readFormData(request)).get("intent");
  const here = `/admin/outbox/${id}`;
  try {
    switch (intent) {
      case "retry":
        await retryMessage(actor, id);
        return await redirectWithFlash(here, "flash.outboxRetried");
      case "cancel":
        await cancelMessage(actor, id);
        return await redirectWithFlash(here, "flash.outboxCancelled");
    }
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ errors: { [error.field]: error.messageKey } as Record<string, string>, values: error.values }, { status: 400 });
    }
    throw error;
  }
  return data({ errors: { form: "errors.unknownAction" } as Record<string, string>, values: {} as Record<string, string | number> }, { status: 400 });
}

/** Status in words and colour (never colour alone), in the tones the other badges use. */
const STATUS_TONE: Record<string, string> = {
  pending: "invited",
  sending: "in_progress",
  sent: "active",
  failed: "disabled",
  cancelled: "draft",
};

export default function AdminOutboxMessage() {
  const { message, from, mailKept } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const when = (at: Date | string | number | null) => (at === null ? t("outbox.view.notYet") : formatDateTime(new Date(at), "UTC", locale));
  const statusLabel = (status: string) => t(`outbox.status.${status}` as "outbox.status.pending");
  const formError = actionData?.errors.form;
  const refusedStatus = actionData?.values.status;
  return (
    <div className="max-w-4xl space-y-6">
      <PageHeader
        title={message.subject}
        crumbs={[{ label: t("nav.admin"), to: "/admin/users" }, { label: t("outbox.title"), to: "/admin/outbox" }, { label: message.subject }]}
      >
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <bdi dir="ltr">{message.toAddress}</bdi>
          <Badge tone={STATUS_TONE[message.status] ?? "draft"}>{statusLabel(message.status)}</Badge>
        </p>
      </PageHeader>
      {mailKept ? <Notice>{t("outbox.keptInOutbox")}</Notice> : null}
      {formError ? (
        <Notice tone="error">
          {t(formError as "outbox.errors.cannotRetry", { status: refusedStatus ? statusLabel(String(refusedStatus)) : "" })}
        </Notice>
      ) : null}

      <Card title={t("outbox.view.headers")}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <Header label={t("outbox.view.from")}>
            <bdi dir="ltr">{from}</bdi>
          </Header>
          <Header label={t("outbox.view.to")}>
            <bdi dir="ltr">{message.toAddress}</bdi>
            {message.userId ? (
              <>
                {" · "}
                <Link to={`/admin/users/${message.userId}`}>
                  {t("outbox.view.account")}
                  {message.userName ? (
                    <>
                      {": "}
                      <bdi>{message.userName}</bdi>
                    </>
                  ) : null}
                </Link>
              </>
            ) : null}
          </Header>
          <Header label={t("outbox.view.subject")}>
            <bdi>{message.subject}</bdi>
          </Header>
          <Header label={t("outbox.view.messageId")}>
            <bdi dir="ltr" className="break-all font-mono text-xs">
              {message.messageId}
            </bdi>
          </Header>
          <Header label={t("outbox.view.kind")}>{t(`outbox.kind.${message.kind}` as "outbox.kind.invitation", { defaultValue: message.kind })}</Header>
          <Header label={t("outbox.view.status")}>
            <Badge tone={STATUS_TONE[message.status] ?? "draft"}>{statusLabel(message.status)}</Badge>
          </Header>
          <Header label={t("outbox.view.created")}>{when(message.createdAt)}</Header>
          <Header label={t("outbox.view.sentAt")}>{when(message.sentAt)}</Header>
          {message.status === "pending" ? <Header label={t("outbox.view.nextAttempt")}>{when(message.nextAttemptAt)}</Header> : null}
          <Header label={t("outbox.view.attempts")}>
            <span className="tabular-nums">{formatNumber(message.attempts, locale)}</span>
          </Header>
          {message.lastError ? (
            <Header label={t("outbox.view.lastError")}>
              <span dir="ltr" className="block break-words text-red-800">
                {message.lastError}
              </span>
            </Header>
          ) : null}
        </dl>
        {message.headers.length > 0 ? (
          <>
            <h3 className="mb-2 mt-6 font-semibold text-slate-900">{t("outbox.view.otherHeaders")}</h3>
            {/* sent as they are: shown as written, left to right */}
            <dl dir="ltr" className="grid grid-cols-1 gap-x-6 gap-y-2 font-mono text-xs sm:grid-cols-[max-content_1fr]">
              {message.headers.map((header) => (
                <Header key={header.name} label={`${header.name}:`}>
                  <span className="break-all">{header.value}</span>
                </Header>
              ))}
            </dl>
          </>
        ) : null}
      </Card>

      <Card title={t("outbox.view.attachments")}>
        {message.attachments.length > 0 ? (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">{t("outbox.view.attachmentsCaption")}</caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.view.fileName")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">{t("outbox.view.fileType")}</th>
                  <th scope="col" className="px-4 py-2 text-end font-semibold">{t("outbox.view.fileSize")}</th>
                  <th scope="col" className="px-4 py-2 text-start font-semibold">
                    <span className="sr-only">{t("outbox.view.download")}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {message.attachments.map((file) => (
                  <tr key={file.index}>
                    <td className="px-4 py-2">
                      <bdi className="break-all">{file.filename}</bdi>
                    </td>
                    <td className="px-4 py-2">
                      <bdi dir="ltr" className="font-mono text-xs">
                        {file.contentType}
                      </bdi>
                    </td>
                    <td className="px-4 py-2 text-end tabular-nums">
                      {t("outbox.view.bytes", { count: file.size, formatted: formatNumber(file.size, locale) })}
                    </td>
                    <td className="px-4 py-2">
                      <a
                        href={`/admin/outbox/${message.id}/attachments/${file.index + 1}`}
                        download={file.filename}
                        aria-label={t("outbox.view.downloadFile", { name: file.filename })}
                      >
                        {t("outbox.view.download")}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-700">{t("outbox.view.noAttachments")}</p>
        )}
      </Card>

      <Card title={t("outbox.view.actions")}>
        {message.canRetry || message.canCancel ? (
          <div className="space-y-4">
            {message.canRetry ? (
              <Form method="post" className="space-y-3">
                <p className="text-sm">{t("outbox.view.retryHelp")}</p>
                {message.interrupted ? <Notice tone="error">{t("outbox.view.retryInterrupted")}</Notice> : null}
                <Button name="intent" value="retry">
                  {t("outbox.view.retry")}
                </Button>
              </Form>
            ) : null}
            {message.canCancel ? (
              <Form method="post" className={`space-y-3 ${message.canRetry ? "border-t border-slate-200 pt-4" : ""}`}>
                <p className="text-sm">{t("outbox.view.cancelHelp")}</p>
                <Button name="intent" value="cancel" variant="danger">
                  {t("outbox.view.cancel")}
                </Button>
              </Form>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-700">{t(message.status === "sending" ? "outbox.view.sendingNow" : "outbox.view.noActions")}</p>
        )}
      </Card>

      <Card title={t("outbox.view.asSent")}>
        <h3 className="mb-1 font-semibold text-slate-900">{t("outbox.view.htmlPart")}</h3>
        <p className="mb-2 text-sm text-slate-600">{t("outbox.view.htmlNote")}</p>
        {/* sandbox="": no scripts, no forms, no popups, and an opaque origin (no access to this page or its cookies) */}
        <iframe
          title={t("outbox.view.htmlFrame", { subject: message.subject })}
          sandbox=""
          srcDoc={message.html}
          referrerPolicy="no-referrer"
          className="h-[36rem] w-full rounded-md border border-slate-200 bg-white"
        />
        <h3 className="mb-2 mt-6 font-semibold text-slate-900">{t("outbox.view.textPart")}</h3>
        <pre dir="auto" className="overflow-x-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-sm text-slate-900">
          {message.text}
        </pre>
      </Card>
    </div>
  );
}

function Header({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </>
  );
}
