import type { Section } from "../types";

/** A form's organisation field when there are too many organisations to list: a search, then a choice. */
const en = {
  organisationSelect: {
    search: "Find the organisation",
    searchPlaceholder: "Type part of its name or acronym",
    hint: "Type at least two letters of its name or acronym, then choose it in the list.",
    searching: "Searching…",
    matches_one: "{{count}} organisation matches: choose it in the list.",
    matches_other: "{{count}} organisations match: choose one in the list.",
    many: "The first {{count}} matches are listed: type more of the name to narrow them.",
    none: "No organisation matches “{{text}}”.",
    failed: "The organisations could not be searched. Try again.",
  },
};

const fr = {
  organisationSelect: {
    search: "Trouver l’organisation",
    searchPlaceholder: "Tapez une partie de son nom ou de son sigle",
    hint: "Tapez au moins deux lettres de son nom ou de son sigle, puis choisissez-la dans la liste.",
    searching: "Recherche…",
    matches_one: "{{count}} organisation correspond : choisissez-la dans la liste.",
    matches_other: "{{count}} organisations correspondent : choisissez-en une dans la liste.",
    many: "Les {{count}} premières sont listées : précisez le nom pour réduire la liste.",
    none: "Aucune organisation ne correspond à « {{text}} ».",
    failed: "La recherche des organisations a échoué. Réessayez.",
  },
};

const es = {
  organisationSelect: {
    search: "Buscar la organización",
    searchPlaceholder: "Escriba parte de su nombre o sigla",
    hint: "Escriba al menos dos letras de su nombre o sigla y elíjala en la lista.",
    searching: "Buscando…",
    matches_one: "{{count}} organización coincide: elíjala en la lista.",
    matches_other: "{{count}} organizaciones coinciden: elija una en la lista.",
    many: "Se muestran las {{count}} primeras: escriba más del nombre para acotar la lista.",
    none: "Ninguna organización coincide con «{{text}}».",
    failed: "No se pudieron buscar las organizaciones. Inténtelo de nuevo.",
  },
};

const ar = {
  organisationSelect: {
    search: "ابحث عن الجهة",
    searchPlaceholder: "اكتب جزءًا من اسمها أو اختصارها",
    hint: "اكتب حرفين على الأقل من اسمها أو اختصارها، ثم اخترها من القائمة.",
    searching: "جارٍ البحث…",
    matches_zero: "لا توجد جهة مطابقة.",
    matches_one: "جهة واحدة مطابقة: اخترها من القائمة.",
    matches_two: "جهتان مطابقتان: اختر إحداهما من القائمة.",
    matches_few: "{{count}} جهات مطابقة: اختر إحداها من القائمة.",
    matches_many: "{{count}} جهة مطابقة: اختر إحداها من القائمة.",
    matches_other: "{{count}} جهة مطابقة: اختر إحداها من القائمة.",
    many: "تُعرض أول {{count}} نتيجة: اكتب المزيد من الاسم لتضييق القائمة.",
    none: "لا توجد جهة تطابق «{{text}}».",
    failed: "تعذّر البحث في الجهات. حاول مرة أخرى.",
  },
};

export default { en, fr, es, ar } satisfies Section<typeof en>;
