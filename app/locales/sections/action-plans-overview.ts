import type { Section, Shape } from "../types";

/**
 * The /action-plans page (per agency, per person, every agency for coordinators) and the action-plan
 * cards of the home page.
 */
const en = {
  actionPlansOverview: {
    title: "Action plans",
    noAgency: "Your account is not linked to an agency yet: ask an administrator to link it, then your agency’s action plans appear here.",
    awaiting_one: "{{formatted}} done item awaiting validation",
    awaiting_other: "{{formatted}} done items awaiting validation",
    plansValue: "{{plans}} ({{submitted}} submitted)",
    counts: {
      agencies: "Agencies",
      officers: "Officers",
      openItems: "Open items",
      awaiting: "Awaiting validation",
    },
    columns: {
      agency: "Agency",
      officers: "Officers",
      plans: "Plans",
      training: "Training",
      officer: "Officer",
      plan: "Plan",
      progress: "Progress",
      overdue: "Overdue",
      validated: "Validated",
      lastUpdate: "Last progress update",
    },
    person: {
      title: "My action plans",
      intro: "Your action plans from every training you attended, with what is still open and what is overdue.",
      empty: "You have no action plan yet. After a training, write yours from the training’s Action plans page.",
    },
    agency: {
      title: "Action plans — {{agency}}",
      introPartner: "The action plans of your agency’s officers, from every training. Open a plan to mark done items as validated.",
      introManager: "The action plans of this agency’s officers, from every training.",
      allAgencies: "All agencies",
      byTraining: "By training",
      byOfficer: "By officer",
      empty: "No officer of this agency has written an action plan yet.",
    },
    agencies: {
      title: "Action plans by agency",
      intro: "Each agency whose officers wrote action plans, with their figures. Open an agency to see its officers’ plans.",
      empty: "No action plan has been written yet.",
      note: "A plan written by officers of two agencies counts for each of them; the totals count it once.",
    },
    home: {
      participantSummary: "{{open}} open items · {{overdue}} overdue",
      allMine: "All my action plans",
      partnerTitle: "Your agency’s action plans",
      partnerSummary: "{{plans}} plans · {{awaiting}} done items awaiting your validation · {{overdue}} overdue items",
      toValidate: "Plans with items to validate",
      nothingToValidate: "No done item is waiting for your validation.",
      allAgency: "All your agency’s action plans",
    },
  },
};

const fr: Shape<typeof en> = {
  actionPlansOverview: {
    title: "Plans d’action",
    noAgency: "Votre compte n’est encore rattaché à aucune agence : demandez à un administrateur de le rattacher, et les plans d’action de votre agence apparaîtront ici.",
    awaiting_one: "{{formatted}} action réalisée en attente de validation",
    awaiting_other: "{{formatted}} actions réalisées en attente de validation",
    plansValue: "{{plans}} ({{submitted}} soumis)",
    counts: {
      agencies: "Agences",
      officers: "Agents",
      openItems: "Actions en cours",
      awaiting: "En attente de validation",
    },
    columns: {
      agency: "Agence",
      officers: "Agents",
      plans: "Plans",
      training: "Formation",
      officer: "Agent",
      plan: "Plan",
      progress: "Avancement",
      overdue: "En retard",
      validated: "Validées",
      lastUpdate: "Dernier point d’avancement",
    },
    person: {
      title: "Mes plans d’action",
      intro: "Vos plans d’action de toutes les formations suivies, avec ce qui reste ouvert et ce qui est en retard.",
      empty: "Vous n’avez pas encore de plan d’action. Après une formation, rédigez le vôtre depuis la page Plans d’action de la formation.",
    },
    agency: {
      title: "Plans d’action — {{agency}}",
      introPartner: "Les plans d’action des agents de votre agence, pour toutes les formations. Ouvrez un plan pour valider les actions réalisées.",
      introManager: "Les plans d’action des agents de cette agence, pour toutes les formations.",
      allAgencies: "Toutes les agences",
      byTraining: "Par formation",
      byOfficer: "Par agent",
      empty: "Aucun agent de cette agence n’a encore rédigé de plan d’action.",
    },
    agencies: {
      title: "Plans d’action par agence",
      intro: "Chaque agence dont des agents ont rédigé des plans d’action, avec ses chiffres. Ouvrez une agence pour voir les plans de ses agents.",
      empty: "Aucun plan d’action n’a encore été rédigé.",
      note: "Un plan rédigé par des agents de deux agences compte pour chacune ; les totaux le comptent une fois.",
    },
    home: {
      participantSummary: "{{open}} actions en cours · {{overdue}} en retard",
      allMine: "Tous mes plans d’action",
      partnerTitle: "Les plans d’action de votre agence",
      partnerSummary: "{{plans}} plans · {{awaiting}} actions réalisées en attente de votre validation · {{overdue}} actions en retard",
      toValidate: "Plans avec des actions à valider",
      nothingToValidate: "Aucune action réalisée n’attend votre validation.",
      allAgency: "Tous les plans d’action de votre agence",
    },
  },
};

const es: Shape<typeof en> = {
  actionPlansOverview: {
    title: "Planes de acción",
    noAgency: "Su cuenta todavía no está vinculada a ningún organismo: pida a un administrador que la vincule y aquí aparecerán los planes de acción de su organismo.",
    awaiting_one: "{{formatted}} acción realizada pendiente de validación",
    awaiting_other: "{{formatted}} acciones realizadas pendientes de validación",
    plansValue: "{{plans}} ({{submitted}} enviados)",
    counts: {
      agencies: "Organismos",
      officers: "Funcionarios",
      openItems: "Acciones abiertas",
      awaiting: "Pendientes de validación",
    },
    columns: {
      agency: "Organismo",
      officers: "Funcionarios",
      plans: "Planes",
      training: "Capacitación",
      officer: "Funcionario",
      plan: "Plan",
      progress: "Avance",
      overdue: "Atrasadas",
      validated: "Validadas",
      lastUpdate: "Último avance registrado",
    },
    person: {
      title: "Mis planes de acción",
      intro: "Sus planes de acción de todas las capacitaciones a las que asistió, con lo que sigue abierto y lo que está atrasado.",
      empty: "Todavía no tiene ningún plan de acción. Después de una capacitación, escriba el suyo desde la página Planes de acción de la capacitación.",
    },
    agency: {
      title: "Planes de acción — {{agency}}",
      introPartner: "Los planes de acción de los funcionarios de su organismo, de todas las capacitaciones. Abra un plan para validar las acciones realizadas.",
      introManager: "Los planes de acción de los funcionarios de este organismo, de todas las capacitaciones.",
      allAgencies: "Todos los organismos",
      byTraining: "Por capacitación",
      byOfficer: "Por funcionario",
      empty: "Ningún funcionario de este organismo ha escrito todavía un plan de acción.",
    },
    agencies: {
      title: "Planes de acción por organismo",
      intro: "Cada organismo cuyos funcionarios escribieron planes de acción, con sus cifras. Abra un organismo para ver los planes de sus funcionarios.",
      empty: "Todavía no se ha escrito ningún plan de acción.",
      note: "Un plan escrito por funcionarios de dos organismos cuenta para cada uno; los totales lo cuentan una vez.",
    },
    home: {
      participantSummary: "{{open}} acciones abiertas · {{overdue}} atrasadas",
      allMine: "Todos mis planes de acción",
      partnerTitle: "Los planes de acción de su organismo",
      partnerSummary: "{{plans}} planes · {{awaiting}} acciones realizadas pendientes de su validación · {{overdue}} acciones atrasadas",
      toValidate: "Planes con acciones por validar",
      nothingToValidate: "Ninguna acción realizada espera su validación.",
      allAgency: "Todos los planes de acción de su organismo",
    },
  },
};

const ar: Shape<typeof en> = {
  actionPlansOverview: {
    title: "خطط العمل",
    noAgency: "حسابك غير مرتبط بأي جهة بعد: اطلب من المسؤول ربطه، وستظهر هنا خطط عمل جهتك.",
    awaiting_zero: "لا توجد إجراءات منجزة بانتظار الاعتماد",
    awaiting_one: "إجراء منجز واحد بانتظار الاعتماد",
    awaiting_two: "إجراءان منجزان بانتظار الاعتماد",
    awaiting_few: "{{formatted}} إجراءات منجزة بانتظار الاعتماد",
    awaiting_many: "{{formatted}} إجراءً منجزًا بانتظار الاعتماد",
    awaiting_other: "{{formatted}} إجراء منجز بانتظار الاعتماد",
    plansValue: "{{plans}} (منها {{submitted}} مقدّمة)",
    counts: {
      agencies: "الجهات",
      officers: "الموظفون",
      openItems: "إجراءات مفتوحة",
      awaiting: "بانتظار الاعتماد",
    },
    columns: {
      agency: "الجهة",
      officers: "الموظفون",
      plans: "الخطط",
      training: "التدريب",
      officer: "الموظف",
      plan: "الخطة",
      progress: "التقدّم",
      overdue: "متأخرة",
      validated: "معتمدة",
      lastUpdate: "آخر تحديث للتقدّم",
    },
    person: {
      title: "خطط عملي",
      intro: "خطط عملك من كل التدريبات التي حضرتها، مع ما لا يزال مفتوحًا وما تأخّر.",
      empty: "ليست لديك خطة عمل بعد. بعد أي تدريب، اكتب خطتك من صفحة خطط العمل الخاصة بالتدريب.",
    },
    agency: {
      title: "خطط العمل — {{agency}}",
      introPartner: "خطط عمل موظفي جهتك من كل التدريبات. افتح خطة لاعتماد الإجراءات المنجزة.",
      introManager: "خطط عمل موظفي هذه الجهة من كل التدريبات.",
      allAgencies: "كل الجهات",
      byTraining: "حسب التدريب",
      byOfficer: "حسب الموظف",
      empty: "لم يكتب أي موظف من هذه الجهة خطة عمل بعد.",
    },
    agencies: {
      title: "خطط العمل حسب الجهة",
      intro: "كل جهة كتب موظفوها خطط عمل، مع أرقامها. افتح جهة لترى خطط موظفيها.",
      empty: "لم تُكتب أي خطة عمل بعد.",
      note: "الخطة التي كتبها موظفون من جهتين تُحتسب لكل منهما؛ أما المجاميع فتحتسبها مرة واحدة.",
    },
    home: {
      participantSummary: "{{open}} إجراءات مفتوحة · {{overdue}} متأخرة",
      allMine: "كل خطط عملي",
      partnerTitle: "خطط عمل جهتك",
      partnerSummary: "{{plans}} خطط · {{awaiting}} إجراءات منجزة بانتظار اعتمادك · {{overdue}} إجراءات متأخرة",
      toValidate: "خطط فيها إجراءات للاعتماد",
      nothingToValidate: "لا يوجد إجراء منجز بانتظار اعتمادك.",
      allAgency: "كل خطط عمل جهتك",
    },
  },
};

export default { en, fr, es, ar } satisfies Section<typeof en>;
