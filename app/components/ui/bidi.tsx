import { Fragment } from "react";
import { useTranslation } from "~/lib/translation";

/**
 * Names, places and codes typed in one script often sit inside a page in another direction
 * (an English venue on an Arabic page). Each part is isolated (<bdi>) so punctuation stays with it.
 */
export function Parts({ parts, dotted = false }: { parts: (string | null | undefined)[]; dotted?: boolean }) {
  const { t } = useTranslation();
  return <PartsWith parts={parts} separator={dotted ? " · " : t("layout.listSeparator")} />;
}

/** Parts with the separator given (a table's rows: translated once for the page, no hook per row). */
export function PartsWith({ parts, separator }: { parts: (string | null | undefined)[]; separator: string }) {
  const present = parts.filter((p): p is string => Boolean(p));
  return (
    <>
      {present.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? separator : null}
          <bdi>{part}</bdi>
        </Fragment>
      ))}
    </>
  );
}

/** A name inside a translated sentence, isolated (FSI … PDI) where markup cannot go (a card's title given as text). */
export function isolated(text: string) {
  return `\u2068${text}\u2069`;
}
