// The audit log in sentences a practice manager understands ("Sam Patel
// published an idea"), with a link to the record and the stored details in
// plain words. One entry per action the app records; an unknown action still
// reads as a sentence.

import { sectionOf } from "../sessions/draft.js";

/** What the person did, after their name. */
export const AUDIT_VERBS: Record<string, string> = {
  "auth.sign-in": "signed in",
  "auth.sign-in-failed": "tried to sign in with a wrong password",
  "auth.sign-in-blocked": "was refused sign-in after too many attempts",
  "auth.sign-out": "signed out",
  "practice.create": "set up the practice",
  "practice.response-deadline": "changed the response deadline",
  "practice.gap-alert": "changed when a group not met is flagged",
  "calendar-feed.create": "turned on a calendar feed",
  "calendar-feed.rotate": "made a new calendar feed address (the old one stopped working)",
  "calendar-feed.revoke": "turned off a calendar feed",
  "user.add": "added a user",
  "user.invite": "added and invited a user",
  "user.invitation-reissue": "made a new invitation link for a user",
  "user.invitation-accept": "accepted an invitation to join the practice",
  "user.role-change": "changed a user's role",
  "user.deactivate": "deactivated a user",
  "user.reactivate": "reactivated a user",
  "user.password-set": "set their password from an invitation",
  "user.password-change": "changed their password",
  "user.email-preferences": "changed which e-mails they get",
  "mail.retry": "asked for a failed e-mail to be sent again",
  "partner.create": "added a partner organisation",
  "partner.update": "changed a partner organisation's details",
  "partner.archive": "archived a partner organisation",
  "partner.unarchive": "restored a partner organisation",
  "group.create": "added a community group",
  "group.update": "changed a community group's details",
  "group.archive": "archived a community group",
  "group.unarchive": "restored a community group",
  "group.rotate-link": "made a new private link for a community group (the old one stopped working)",
  "theme.create": "added a theme",
  "theme.rename": "renamed a theme",
  "theme.move": "moved a theme in the list",
  "theme.retire": "retired a theme",
  "theme.unretire": "brought back a retired theme",
  "session.create": "planned a session",
  "session.update": "changed a session",
  "session.preparation": "changed a session's preparation notes",
  "session.status": "changed a session's status",
  "session.held": "marked a session as held",
  "outcome.draft-save": "saved a draft of a session's outcome",
  "outcome.save": "logged the outcome of a session",
  "outcome.update": "changed the outcome of a session",
  "outcome.identifying-details-confirmed": "confirmed that text in a session's outcome does not identify anyone",
  "idea.create": "logged an idea",
  "idea.correct-text": "corrected the words of an idea",
  "idea.correct-theme": "changed the theme of an idea",
  "idea.narrow-consent": "narrowed how far an idea may be shared",
  "idea.identifying-details-confirmed": "confirmed that an idea does not identify anyone",
  "response.identifying-details-confirmed": "confirmed that a public response does not identify anyone",
  "theme.identifying-details-confirmed": "confirmed that a theme's name does not identify anyone",
  "group.identifying-details-confirmed": "confirmed that a group's name does not identify anyone",
  "session.identifying-details-confirmed": "confirmed that a session's title or venue does not identify anyone",
  "idea.publish": "published an idea",
  "idea.unpublish": "removed an idea from the public board",
  "response.create": "responded to an idea",
  // The group answers back (issue 18).
  "group.reading-languages": "changed the languages a community group reads",
  "verdict.create": "recorded what a group said about the practice's answer to an idea",
  "verdict.identifying-details-confirmed": "confirmed that a group's words about an answer do not identify anyone",
  "translation.create": "added a translation of a response",
  "translation.identifying-details-confirmed": "confirmed that a translation does not identify anyone",
};

/** Where each kind of record is seen (all pages managers may open). */
const RECORD_PAGES: Record<string, (id: string) => string> = {
  Idea: (id) => `/ideas/${id}`,
  CommunitySession: (id) => `/sessions/${id}`,
  CommunityGroup: (id) => `/groups/${id}`,
  PartnerOrganisation: (id) => `/partners/${id}/edit`,
  Theme: (id) => `/themes/${id}/edit`,
  User: (id) => `/users/${id}`,
};

const RECORD_NAMES: Record<string, string> = {
  Idea: "the idea",
  CommunitySession: "the session",
  CommunityGroup: "the group",
  PartnerOrganisation: "the partner organisation",
  Theme: "the theme",
  User: "the user",
  Practice: "the practice",
  Response: "the response",
};

/** Words for the keys the app stores in details. Keys not listed are shown as words made from the key. */
const DETAIL_KEYS: Record<string, string> = {
  previous: "Before the change",
  from: "From",
  to: "To",
  role: "Role",
  email: "Email",
  name: "Name",
  status: "Status",
  reason: "Reason",
  kinds: "What was found",
  field: "Field",
  fields: "Fields",
  ip: "IP address",
  existingUser: "Already had an account",
  invitation: "Invitation sent",
  isPublic: "Public",
  ideas: "Ideas",
  responseDeadlineDays: "Response deadline (days)",
};
/** Technical keys nobody needs to read (idempotency keys, internal ids). */
const HIDDEN_KEYS = new Set(["formId", "submissionId", "invitationId"]);

function words(key: string): string {
  if (DETAIL_KEYS[key]) return DETAIL_KEYS[key]!;
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[-_.]/g, " ").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function valueText(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(none)";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "string") return /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v).toLocaleString("en-GB", { timeZone: "Europe/London" }) : v;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.map(valueText).join(", ") || "(none)";
  return Object.entries(v as Record<string, unknown>)
    .filter(([k]) => !HIDDEN_KEYS.has(k))
    .map(([k, x]) => `${words(k)}: ${valueText(x)}`)
    .join("; ");
}

export interface AuditEventView {
  /** "Sam Patel published an idea." */
  sentence: string;
  /** A link to the record, when there is a page for it. */
  recordLink?: { href: string; text: string };
  /** The stored details, in words (empty: nothing to show). */
  detailRows: { key: string; value: string }[];
}

export function describeAuditEvent(e: { action: string; actor: string; entityType: string; entityId: string | null; details: unknown; recordName?: string }): AuditEventView {
  const who = e.actor === "System" ? "The system" : e.actor;
  const verb = AUDIT_VERBS[e.action] ?? `did "${e.action}"`;
  const page = e.entityId ? RECORD_PAGES[e.entityType] : undefined;
  const recordText = e.recordName ? `${RECORD_NAMES[e.entityType] ?? "the record"}: ${e.recordName}` : `See ${RECORD_NAMES[e.entityType] ?? "the record"}`;
  const details = e.details && typeof e.details === "object" && !Array.isArray(e.details) ? (e.details as Record<string, unknown>) : {};
  const detailRows = Object.entries(details)
    .filter(([k, v]) => !HIDDEN_KEYS.has(k) && v !== null && v !== undefined)
    .map(([k, v]) => ({ key: words(k), value: k === "section" && typeof v === "string" ? (sectionOf(v)?.title ?? v) : valueText(v) }));
  // A kind of record this page does not know: say which, so nothing is hidden.
  if (!RECORD_NAMES[e.entityType]) detailRows.unshift({ key: "Record", value: `${e.entityType}${e.entityId ? ` ${e.entityId}` : ""}` });
  return {
    sentence: `${who} ${verb}.`,
    recordLink: page && e.entityId ? { href: page(e.entityId), text: recordText.charAt(0).toUpperCase() + recordText.slice(1) } : undefined,
    detailRows,
  };
}
