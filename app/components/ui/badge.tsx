import { useTranslation } from "~/lib/translation";

/** Status as text and colour (never colour alone). */
const TONES: Record<string, string> = {
  draft: "bg-slate-100 text-slate-800 ring-slate-300",
  open: "bg-green-50 text-green-800 ring-green-300",
  in_progress: "bg-amber-50 text-amber-900 ring-amber-300",
  completed: "bg-brand-50 text-brand-800 ring-brand-100",
  reported: "bg-violet-50 text-violet-800 ring-violet-300",
  cancelled: "bg-red-50 text-red-800 ring-red-300",
  active: "bg-green-50 text-green-800 ring-green-300",
  disabled: "bg-red-50 text-red-800 ring-red-300",
  invited: "bg-amber-50 text-amber-900 ring-amber-300",
};

export function Badge({ tone, children }: { tone: string; children: React.ReactNode }) {
  return (
    <span className={`badge ${TONES[tone] ?? TONES.draft}`}>
      {children}
    </span>
  );
}

/** An event's status; an open event whose registration has closed says so (`registrationClosed`, from the server). */
export function EventStatusBadge({ status, registrationClosed = false }: { status: string; registrationClosed?: boolean }) {
  const { t } = useTranslation();
  if (status === "open" && registrationClosed) return <Badge tone="draft">{t("eventStatus.registrationClosed")}</Badge>;
  return <Badge tone={status}>{t(`eventStatus.${status}` as "eventStatus.draft")}</Badge>;
}
