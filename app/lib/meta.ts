import type { TOptions } from "i18next";
import { translator } from "~/i18n";

type Match = { id: string; data: unknown };

/** A translated page title (meta functions cannot use hooks; the root loader knows the language). */
export function pageTitle(matches: Match[], key: string, options?: TOptions) {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  const { t } = translator(root?.locale);
  return [{ title: `${t(key as "nav.events", options as never)} · Convene` }];
}
