// The identifying-details check on every text that can reach a public page, a
// group board, a poster or a feed, with a confirmation the server issues.
//
// A writer whose text is flagged must edit it, or confirm that it is not about
// an identifiable person. The confirmation checkbox carries a token the server
// made: an HMAC, under a key derived from the server's secret, over the field,
// the normalised text, what was found in it and who is confirming. The client
// cannot compute it, it is good only for that exact text and those findings
// (change one character that matters and it is asked again), and only for the
// person it was shown to. Every confirmation is audited (kinds only, never the
// text) by the feature that saves it.
import { confirmationTokenFor, postedTokenMatches } from "./confirmation-token.js";
import {
  describeKinds, findIdentifyingDetails, highlightSegments, KIND_LABELS, kindsOf, normaliseForCheck,
  type IdentifyingKind, type IdentifyingMatch,
} from "./identifying-details.js";

/**
 * Every stored text that can reach a public surface, and the forms that write
 * it. tests/integration/public-text-check.test.ts posts identifying details to
 * each form listed here and checks that it is refused until confirmed, and
 * that the confirmation is audited.
 */
export const PUBLIC_TEXT_FIELDS = [
  { column: "Idea.text", forms: ["POST /sessions/:id/outcome ideas[n][text]", "POST /ideas/:id/edit text"] },
  { column: "SessionOutcome.themesDiscussed", forms: ["POST /sessions/:id/outcome themesDiscussed"] },
  { column: "Response.text (public)", forms: ["POST /ideas/:id/responses text"] },
  { column: "Theme.name", forms: ["POST /themes name", "POST /themes/:id/edit name"] },
  { column: "CommunityGroup.name", forms: ["POST /groups name", "POST /groups/:id/edit name"] },
  { column: "Verdict.words", forms: ["POST /sessions/:id/outcome verdicts[ideaId][words]"] },
  { column: "ResponseTranslation.text", forms: ["POST /ideas/:id/responses/:responseId/translations text"] },
] as const;

/** Who confirms, and the server's secret the tokens are made with. */
export interface CheckKey {
  secret: string;
  userId: string;
}

export interface FieldCheck {
  field: string;
  text: string;
  matches: IdentifyingMatch[];
  kinds: IdentifyingKind[];
  /** "a phone number and a postcode" */
  described: string;
  /** The text cut into plain and matched pieces, for the view (escaped output, <mark> around matches). */
  segments: { text: string; kind?: IdentifyingKind; label?: string }[];
  /** The value of the confirmation checkbox: issued by the server for this text, findings and person. */
  token: string;
  confirmed: boolean;
}

/** The confirmation token for a text as checked. */
export function confirmationToken(key: CheckKey, field: string, text: string, matches: IdentifyingMatch[] = findIdentifyingDetails(text)): string {
  const normalised = normaliseForCheck(text.trim()).text;
  const findings = matches.map((m) => `${m.kind}:${normaliseForCheck(m.text).text}`).join("\u0001");
  return confirmationTokenFor(key.secret, "identifying-details-confirmation/v1", [key.userId, field, normalised, findings]);
}

/** The check on one field; `confirmedWith` is what the confirmation checkbox posted. Undefined when nothing was found. */
export function checkField(
  key: CheckKey, field: string, text: string, confirmedWith: unknown, opts: { ignore?: readonly IdentifyingKind[] } = {},
): FieldCheck | undefined {
  // `ignore`: kinds the field holds by design (a venue's street address and postcode); the rest are still asked about.
  const matches = findIdentifyingDetails(text).filter((m) => !opts.ignore?.includes(m.kind));
  if (matches.length === 0) return undefined;
  const kinds = kindsOf(matches);
  const token = confirmationToken(key, field, text, matches);
  return {
    field, text, matches, kinds, described: describeKinds(kinds),
    segments: highlightSegments(text, matches).map((s) => (s.kind ? { ...s, label: KIND_LABELS[s.kind] } : s)),
    token, confirmed: postedTokenMatches(confirmedWith, token),
  };
}

/** The error message for an unconfirmed field. */
export function checkMessage(what: string, check: FieldCheck): string {
  return `${what} may identify someone: it contains ${check.described}. Edit it, or confirm it is not about an identifiable person`;
}
