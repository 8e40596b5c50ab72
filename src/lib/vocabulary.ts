// The product's vocabulary, said once: consent values with their labels and
// hints, idea statuses with their labels and colours, role labels and the
// longest idea. Staff pages, the outcome form, the public pages, the CSV
// exports, schemas and tests all import them from here. Who may see what
// (what each consent means for a query) is lib/visibility.ts.
import type { Consent, IdeaStatus, Role } from "../generated/prisma/enums.js";

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
