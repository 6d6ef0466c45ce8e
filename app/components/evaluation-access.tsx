import { useTranslation } from "~/lib/translation";
import { isolated } from "~/components/ui/bidi";
import { sessionIdOf, type AccessTarget, type EventTarget } from "~/lib/evaluation-access";

export type RefusalKind = "invalid" | "expired" | "none";

/** Why a personal link (or this device) opens nothing, and whom to ask: no data about anyone. */
export function AccessRefused({ kind }: { kind: RefusalKind }) {
  const { t } = useTranslation();
  return (
    <div className="mx-auto max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-bold tracking-tight">{t(`evaluationAccess.refusal.${kind}Title`)}</h1>
      <p className="text-slate-700">{t(`evaluationAccess.refusal.${kind}Body`)}</p>
    </div>
  );
}

/** What a target is called on the slips and the venue screen: "Pre-test", or "Feedback on a session: <title>". */
export function useTargetLabel() {
  const { t } = useTranslation();
  return (target: AccessTarget, sessionTitle: string | null) =>
    sessionIdOf(target) !== null ? t("evaluationAccess.target.session", { session: isolated(sessionTitle ?? "") }) : t(`evaluationAccess.target.${target as EventTarget}`);
}
