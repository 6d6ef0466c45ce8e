import type { Section } from "../types";

/** Personal data: anonymised people, a person's data export and erasure on request. */
const en = {
  personalData: {
    anonymisedName: "Anonymised participant #{{id}}",
    anonymisedNotice: "This person's personal data was anonymised on {{date}}. Their attendance, completion and certificates still count in the reports; the record can no longer be edited.",
    title: "Personal data",
    intro: "For a request of access or erasure from this person.",
    download: "Download this person's data (JSON)",
    downloadHint: "Everything Convene holds about them, in one file. The download is recorded in the audit log.",
    eraseTitle: "Erase this person's personal data",
    eraseWarning:
      "This removes their name, email, phone, position, dietary and accessibility needs, the text and attachments of their action plans, the emails sent to them, and their account's name, email and password (the account is disabled). It cannot be undone. Their organisation, sex, role category, nationality, registrations, attendance and certificates stay, without their name, so that the reports stay correct.",
    confirmLabel: "Type {{word}} to confirm",
    confirmHint: "In capital letters, exactly as shown.",
    eraseSubmit: "Erase the personal data",
    certificateHolder: "Name removed (personal data anonymised)",
    errors: {
      confirmation: "Type ERASE in capital letters to confirm the erasure.",
      alreadyAnonymised: "This person's personal data has already been anonymised: there is nothing left to erase.",
      ownRecord: "You cannot erase your own record: ask another administrator.",
      readOnly: "This person's personal data has been anonymised: the record can no longer be edited.",
      merge: "An anonymised record cannot be merged.",
    },
  },
};

const fr = {
  personalData: {
    anonymisedName: "Participant anonymisé nº {{id}}",
    anonymisedNotice: "Les données personnelles de cette personne ont été anonymisées le {{date}}. Ses présences, sa réussite et ses certificats restent comptés dans les rapports ; la fiche ne peut plus être modifiée.",
    title: "Données personnelles",
    intro: "Pour une demande d’accès ou d’effacement de la part de cette personne.",
    download: "Télécharger les données de cette personne (JSON)",
    downloadHint: "Tout ce que Convene détient à son sujet, en un seul fichier. Le téléchargement est consigné dans le journal d’audit.",
    eraseTitle: "Effacer les données personnelles de cette personne",
    eraseWarning:
      "Cela supprime son nom, son adresse e-mail, son téléphone, son poste, ses besoins alimentaires et d’accessibilité, le texte et les pièces jointes de ses plans d’action, les e-mails qui lui ont été envoyés, ainsi que le nom, l’adresse e-mail et le mot de passe de son compte (le compte est désactivé). C’est irréversible. Son organisation, son sexe, sa catégorie de fonction, sa nationalité, ses inscriptions, ses présences et ses certificats sont conservés, sans son nom, pour que les rapports restent justes.",
    confirmLabel: "Saisissez {{word}} pour confirmer",
    confirmHint: "En majuscules, exactement comme indiqué.",
    eraseSubmit: "Effacer les données personnelles",
    certificateHolder: "Nom supprimé (données personnelles anonymisées)",
    errors: {
      confirmation: "Saisissez ERASE en majuscules pour confirmer l’effacement.",
      alreadyAnonymised: "Les données personnelles de cette personne ont déjà été anonymisées : il n’y a plus rien à effacer.",
      ownRecord: "Vous ne pouvez pas effacer votre propre fiche : demandez à un autre administrateur.",
      readOnly: "Les données personnelles de cette personne ont été anonymisées : la fiche ne peut plus être modifiée.",
      merge: "Une fiche anonymisée ne peut pas être fusionnée.",
    },
  },
};

const es = {
  personalData: {
    anonymisedName: "Participante anonimizado n.º {{id}}",
    anonymisedNotice: "Los datos personales de esta persona se anonimizaron el {{date}}. Su asistencia, su finalización y sus certificados siguen contando en los informes; la ficha ya no se puede modificar.",
    title: "Datos personales",
    intro: "Para una solicitud de acceso o de supresión de esta persona.",
    download: "Descargar los datos de esta persona (JSON)",
    downloadHint: "Todo lo que Convene conserva sobre ella, en un solo archivo. La descarga queda registrada en el registro de auditoría.",
    eraseTitle: "Borrar los datos personales de esta persona",
    eraseWarning:
      "Esto elimina su nombre, correo electrónico, teléfono, cargo, necesidades alimentarias y de accesibilidad, el texto y los adjuntos de sus planes de acción, los correos que se le enviaron y el nombre, el correo y la contraseña de su cuenta (la cuenta se desactiva). No se puede deshacer. Su organización, sexo, categoría de función, nacionalidad, inscripciones, asistencia y certificados se conservan, sin su nombre, para que los informes sigan siendo correctos.",
    confirmLabel: "Escriba {{word}} para confirmar",
    confirmHint: "En mayúsculas, exactamente como se muestra.",
    eraseSubmit: "Borrar los datos personales",
    certificateHolder: "Nombre eliminado (datos personales anonimizados)",
    errors: {
      confirmation: "Escriba ERASE en mayúsculas para confirmar el borrado.",
      alreadyAnonymised: "Los datos personales de esta persona ya se anonimizaron: no queda nada por borrar.",
      ownRecord: "No puede borrar su propia ficha: pídaselo a otro administrador.",
      readOnly: "Los datos personales de esta persona se anonimizaron: la ficha ya no se puede modificar.",
      merge: "Una ficha anonimizada no se puede fusionar.",
    },
  },
};

const ar = {
  personalData: {
    anonymisedName: "مشارك مجهول الهوية رقم {{id}}",
    anonymisedNotice: "أُخفيت هوية البيانات الشخصية لهذا الشخص في {{date}}. ولا يزال حضوره وإتمامه وشهاداته محسوبة في التقارير، ولم يعد من الممكن تعديل السجل.",
    title: "البيانات الشخصية",
    intro: "لطلب اطلاع أو محو يقدّمه هذا الشخص.",
    download: "تنزيل بيانات هذا الشخص (JSON)",
    downloadHint: "كل ما يحتفظ به Convene عنه في ملف واحد. ويُسجَّل التنزيل في سجل التدقيق.",
    eraseTitle: "محو البيانات الشخصية لهذا الشخص",
    eraseWarning:
      "يؤدي هذا إلى حذف اسمه وبريده الإلكتروني وهاتفه ووظيفته واحتياجاته الغذائية واحتياجات الإتاحة، ونص خطط عمله ومرفقاتها، والرسائل المرسلة إليه، واسم حسابه وبريده الإلكتروني وكلمة مروره (ويُعطَّل الحساب). ولا يمكن التراجع عن ذلك. وتبقى جهته وجنسه وفئة وظيفته وجنسيته وتسجيلاته وحضوره وشهاداته، دون اسمه، كي تبقى التقارير صحيحة.",
    confirmLabel: "اكتب {{word}} للتأكيد",
    confirmHint: "بالأحرف اللاتينية الكبيرة، تمامًا كما هي معروضة.",
    eraseSubmit: "محو البيانات الشخصية",
    certificateHolder: "حُذف الاسم (أُخفيت هوية البيانات الشخصية)",
    errors: {
      confirmation: "اكتب ERASE بالأحرف الكبيرة لتأكيد المحو.",
      alreadyAnonymised: "سبق إخفاء هوية البيانات الشخصية لهذا الشخص: لم يبقَ شيء لمحوه.",
      ownRecord: "لا يمكنك محو سجلك الخاص: اطلب ذلك من مسؤول آخر.",
      readOnly: "أُخفيت هوية البيانات الشخصية لهذا الشخص: لم يعد من الممكن تعديل السجل.",
      merge: "لا يمكن دمج سجل مجهول الهوية.",
    },
  },
};

export default { en, fr, es, ar } satisfies Section<typeof en>;
