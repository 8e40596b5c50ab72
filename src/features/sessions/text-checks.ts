// The identifying-details check (lib/text-check.ts) on a session's texts that
// leave the app: the title is the subject and body of the facilitators'
// e-mails and the SUMMARY of every calendar file and feed; the venue's name
// and address are their LOCATION. The calendar feed page promises "It never
// holds anything about the people who take part", so these are checked on
// every path that sets them: the one-page new-session form (routes.ts), each
// section of a draft and "Schedule session" (draft-routes.ts), and each
// section of a session being changed (edit-routes.ts).
//
// The venue address is an address by design (a community centre's street and
// postcode): a street address and a postcode there are not asked about; a
// phone number, an e-mail, a name ("Mrs Ahmed's house") and the rest are.
// The venue's fields are checked only for a session in person: an online
// session's calendar files and e-mails say "Online" and never show them.
import type { FieldErrors } from "../../lib/forms.js";
import type { IdentifyingKind } from "../../lib/identifying-details.js";
import { checkField, checkMessage, type CheckKey, type FieldCheck } from "../../lib/text-check.js";

export const CHECKED_SESSION_TEXTS = [
  { field: "title", what: "The title", confirm: "titleConfirmSafe", ignore: [] },
  { field: "venueName", what: "The venue name", confirm: "venueNameConfirmSafe", ignore: [] },
  { field: "venueAddress", what: "The venue address", confirm: "venueAddressConfirmSafe", ignore: ["address", "postcode"] },
] as const satisfies readonly { field: string; what: string; confirm: string; ignore: readonly IdentifyingKind[] }[];

export type CheckedSessionField = (typeof CHECKED_SESSION_TEXTS)[number]["field"];

export interface SessionTextChecks {
  /** The check of each flagged field, for the view (views/sessions/_section-*.ejs). */
  checks: Partial<Record<CheckedSessionField, FieldCheck>>;
  /** An error on each flagged field not confirmed. */
  errors: FieldErrors;
  /** The kinds confirmed, for the audit (never the text). */
  confirmedKinds: IdentifyingKind[];
  /** The confirmation values that matched, to keep with a draft. */
  confirmations: Record<string, string>;
}

/**
 * Checks `values`' title and venue. `confirms` holds what the confirmation checkboxes posted (or a draft kept);
 * `asks(field)` says whether a field is to be checked at all (a field not on the page, or unchanged from what is saved, is not).
 */
export function checkSessionTexts(
  key: CheckKey, values: Record<string, unknown>, confirms: Record<string, unknown>, asks: (field: CheckedSessionField) => boolean = () => true,
): SessionTextChecks {
  const out: SessionTextChecks = { checks: {}, errors: {}, confirmedKinds: [], confirmations: {} };
  const inPerson = values.online !== "yes";
  for (const f of CHECKED_SESSION_TEXTS) {
    const text = typeof values[f.field] === "string" ? (values[f.field] as string).trim() : "";
    if (!text || !asks(f.field) || (f.field !== "title" && !inPerson)) continue;
    const check = checkField(key, f.field, text, confirms[f.confirm], { ignore: f.ignore });
    if (!check) continue;
    out.checks[f.field] = check;
    if (check.confirmed) {
      out.confirmations[f.confirm] = check.token;
      for (const k of check.kinds) if (!out.confirmedKinds.includes(k)) out.confirmedKinds.push(k);
    } else out.errors[f.field] = checkMessage(f.what, check);
  }
  return out;
}

/** What the confirmation checkboxes posted. */
export function confirmsFrom(body: unknown): Record<string, string> {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of CHECKED_SESSION_TEXTS) if (typeof b[f.confirm] === "string") out[f.confirm] = (b[f.confirm] as string).slice(0, 200);
  return out;
}
