// The product's vocabulary, said once: consent values with their labels and
// hints, idea statuses with their labels and colours, role labels and the
// longest idea, verdict kinds with their labels and colours, the public pages'
// languages and translators' roles. Staff pages, the outcome form, the public pages, the CSV
// exports, schemas and tests all import them from here. Who may see what
// (what each consent means for a query) is lib/visibility.ts.
import type { Consent, IdeaStatus, Role, TranslatorRole, VerdictKind } from "../generated/prisma/enums.js";

export const IDEA_STATUSES: readonly IdeaStatus[] = ["RECEIVED", "UNDER_CONSIDERATION", "PLANNED", "IN_PROGRESS", "DONE", "NOT_POSSIBLE"];
export const CONSENTS: readonly Consent[] = ["PUBLIC", "GROUP_ONLY", "PRACTICE_ONLY"];
/** A public status filter value meaning "no public response yet". */
export const WAITING = "WAITING" as const;
export type PublicStatus = IdeaStatus | typeof WAITING;

/** How wide each consent is: staff may only move to a narrower one (a higher rank). */
export const CONSENT_RANK: Record<Consent, number> = { PUBLIC: 0, GROUP_ONLY: 1, PRACTICE_ONLY: 2 };

export const CONSENT_LABELS: Record<Consent, string> = {
  PUBLIC: "Public board",
  GROUP_ONLY: "Group only",
  PRACTICE_ONLY: "Practice only",
};

export const CONSENT_HINTS: Record<Consent, string> = {
  PUBLIC: "Anyone can see it on the practice's public board once a manager publishes it; the group sees it on its own page at once",
  GROUP_ONLY: "Only the group, through its private link, and practice staff",
  PRACTICE_ONLY: "Only practice staff can see it. It is never shown outside the practice",
};

export const STATUS_LABELS: Record<IdeaStatus, string> = {
  RECEIVED: "Received",
  UNDER_CONSIDERATION: "Under consideration",
  PLANNED: "Planned",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  NOT_POSSIBLE: "Not possible",
};

/** One colour per status, on staff and public pages alike (WAITING: no public response yet). */
export const STATUS_TAG_CLASSES: Record<PublicStatus, string> = {
  DONE: "nhsuk-tag--green",
  IN_PROGRESS: "nhsuk-tag--blue",
  PLANNED: "nhsuk-tag--aqua-green",
  UNDER_CONSIDERATION: "nhsuk-tag--yellow",
  NOT_POSSIBLE: "nhsuk-tag--red",
  RECEIVED: "nhsuk-tag--white",
  WAITING: "nhsuk-tag--grey",
};

/** What the public sees instead of a staff member's name. */
export const PUBLIC_ROLE_LABELS: Record<Role, string> = {
  MANAGER: "The practice manager",
  FACILITATOR: "The facilitator",
  VIEWER: "The practice team",
};

/** The words for consent in CSV exports: short and stable, for spreadsheets. */
export const CONSENT_EXPORT_LABELS: Record<Consent, string> = { PUBLIC: "Public", GROUP_ONLY: "Group only", PRACTICE_ONLY: "Practice only" };

/** The staff roles as staff pages and exports name them. */
export const ROLE_LABELS: Record<Role, string> = { MANAGER: "Practice manager", FACILITATOR: "Facilitator", VIEWER: "Read only" };

/** The longest idea, in characters (the outcome form and a manager's correction). */
export const MAX_IDEA_LENGTH = 2000;

/** The consent radios (each with its hint), for the choices given (by default all, widest first). */
export function consentItems(choices: readonly Consent[] = CONSENTS): { value: Consent; text: string; hint: { text: string } }[] {
  return choices.map((c) => ({ value: c, text: CONSENT_LABELS[c], hint: { text: `${CONSENT_HINTS[c]}.` } }));
}

/** All of the above, as staff views receive it (`labels.STATUS_LABELS[...]`, `labels.consentItems(...)`). */
export const ideaLabels = { STATUS_LABELS, STATUS_TAG_CLASSES, CONSENT_LABELS, CONSENT_HINTS, PUBLIC_ROLE_LABELS, IDEA_STATUSES, CONSENTS, consentItems };

// ---------------------------------------------------------------------------
// Verdicts (issue 18): what a group said of the practice's answer. Where a
// verdict may be shown is lib/visibility.ts (isVerdictOnBoard, isReopened).

export const VERDICT_KINDS: readonly VerdictKind[] = ["ANSWERS", "PARTLY", "NOT_YET", "NO_LONGER_MATTERS", "NOT_DISCUSSED"];
/** These keep the idea open: it goes back on the practice's list until a newer public response. */
export const REOPENING_VERDICTS: readonly VerdictKind[] = ["PARTLY", "NOT_YET"];

export const VERDICT_LABELS: Record<VerdictKind, string> = {
  ANSWERS: "This answers what we said",
  PARTLY: "Partly",
  NOT_YET: "Not yet, still a problem",
  NO_LONGER_MATTERS: "No longer matters to us",
  NOT_DISCUSSED: "Not discussed",
};

export const VERDICT_TAG_CLASSES: Record<VerdictKind, string> = {
  ANSWERS: "nhsuk-tag--green",
  PARTLY: "nhsuk-tag--yellow",
  NOT_YET: "nhsuk-tag--red",
  NO_LONGER_MATTERS: "nhsuk-tag--grey",
  NOT_DISCUSSED: "nhsuk-tag--white",
};

/** The response form of a reopened idea (features/responses): the next answer says what changes, in public. */
export const REOPENED_RESPONSE_LABELS = {
  heading: "What the group said about the practice's last answer",
  verdict: "The group said",
  session: "At its session on",
  words: "In the group's words",
  noWords: "The group did not add any words.",
  previous: "The practice's last public answer",
  noPrevious: "The practice has not given a public answer yet.",
  hint: "Say what the practice will do differently after what the group said",
  publicHint: "The group said this is not answered yet, so this response must be public: the group needs to see what changes.",
} as const;

// ---------------------------------------------------------------------------
// Languages: the public pages' languages (i18n.ts loads their words), and
// person-written translations of responses (features/translations).

export const LANGUAGES = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "uk", name: "Українська", dir: "ltr" },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]["code"];

/** The languages a translation can be in: the public pages' languages besides English (the staff side's language). */
/** The languages' names in English: staff pages are in English, and not every manager reads "العربية". */
const ENGLISH_NAMES: Record<string, string> = { ar: "Arabic", uk: "Ukrainian" };
/** `name` is the language's own name (for a visitor's choice), `label` what staff pages say: "Arabic (العربية)". */
export const TRANSLATION_LANGUAGES = LANGUAGES.filter((l) => l.code !== "en").map((l) => ({
  code: l.code as string, name: l.name, dir: l.dir, english: ENGLISH_NAMES[l.code] ?? l.name,
  label: ENGLISH_NAMES[l.code] ? `${ENGLISH_NAMES[l.code]} (${l.name})` : l.name,
}));
export const TRANSLATION_CODES = TRANSLATION_LANGUAGES.map((l) => l.code);
export const TRANSLATOR_ROLES: readonly TranslatorRole[] = ["PRACTICE", "INTERPRETER", "PARTNER"];
export const TRANSLATOR_ROLE_LABELS: Record<TranslatorRole, string> = {
  PRACTICE: "The practice",
  INTERPRETER: "An interpreter",
  PARTNER: "The partner organisation",
};
export const languageName = (code: string) => TRANSLATION_LANGUAGES.find((l) => l.code === code)?.label ?? code;
