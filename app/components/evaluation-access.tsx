import { useTranslation } from "react-i18next";

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
