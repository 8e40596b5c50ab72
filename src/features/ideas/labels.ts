// Words shown for statuses and consent, in one place for every staff view.
import type { Consent, IdeaStatus, Role } from "../../generated/prisma/enums.js";

export const IDEA_STATUSES: readonly IdeaStatus[] = ["RECEIVED", "UNDER_CONSIDERATION", "PLANNED", "IN_PROGRESS", "DONE", "NOT_POSSIBLE"];
export const CONSENTS: readonly Consent[] = ["PUBLIC", "GROUP_ONLY", "PRACTICE_ONLY"];

export const STATUS_LABELS: Record<IdeaStatus, string> = {
  RECEIVED: "Received",
  UNDER_CONSIDERATION: "Under consideration",
  PLANNED: "Planned",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  NOT_POSSIBLE: "Not possible",
};

export const STATUS_TAG_CLASSES: Record<IdeaStatus, string> = {
  RECEIVED: "nhsuk-tag--grey",
  UNDER_CONSIDERATION: "nhsuk-tag--blue",
  PLANNED: "nhsuk-tag--purple",
  IN_PROGRESS: "nhsuk-tag--yellow",
  DONE: "nhsuk-tag--green",
  NOT_POSSIBLE: "nhsuk-tag--orange",
};

export const CONSENT_LABELS: Record<Consent, string> = {
  PUBLIC: "Public board",
  GROUP_ONLY: "Group only",
  PRACTICE_ONLY: "Practice only",
};

export const CONSENT_HINTS: Record<Consent, string> = {
  PUBLIC: "Can be published on the practice's public board",
  GROUP_ONLY: "Only on the group's private page",
  PRACTICE_ONLY: "Only practice staff can see it",
};

/** How wide each consent is: staff may only move to a narrower one (a higher rank). */
export const CONSENT_RANK: Record<Consent, number> = { PUBLIC: 0, GROUP_ONLY: 1, PRACTICE_ONLY: 2 };

/** What the public sees instead of a staff member's name. */
export const PUBLIC_ROLE_LABELS: Record<Role, string> = {
  MANAGER: "The practice manager",
  FACILITATOR: "The facilitator",
  VIEWER: "The practice team",
};

export const ideaLabels = { STATUS_LABELS, STATUS_TAG_CLASSES, CONSENT_LABELS, CONSENT_HINTS, PUBLIC_ROLE_LABELS, IDEA_STATUSES, CONSENTS };
