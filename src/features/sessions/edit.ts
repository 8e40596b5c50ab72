// Changing a session that exists, one short section at a time (issue 17): the
// same sections and checks as a session planned step by step (draft.ts), but
// each section saved is saved to the session at once, through the session
// update (service.ts updateSessionIn: version check, audit, e-mails to its
// facilitators). edit-routes.ts reads requests and renders.
//
// A section's values are put over the session's saved values and the whole
// session form is checked, as the one-page edit form did: so a section is
// refused while the session's saved values fail today's checks elsewhere (the
// errors then point at the section to put right). A section saved as it was
// writes nothing (no version, no audit, no e-mail). No double save: each
// section page carries a formId, remembered with the save; a second submit of
// the same page finds it remembered (or, at the same moment, waits on the row,
// finds the version moved on, then the formId) and is told it was saved already.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { FieldErrors } from "../../lib/forms.js";
import type { IdentifyingKind } from "../../lib/identifying-details.js";
import { alreadyCreated, earlierSubmit, rememberCreated } from "../../lib/idempotency.js";
import { utcToLondonParts } from "../../lib/dates.js";
import { invalid, ok, type Result } from "../../lib/result.js";
import { sectionErrors, sectionOf, SECTIONS, type DraftValues, type SectionKey } from "./draft.js";
import { parseSessionForm, PRINCIPLES, type SessionInput } from "./schemas.js";
import { checkReferences, editErrors, updateSessionIn, type FullSession } from "./service.js";

const ACTION = "session-edit.section";

/** A session's saved values in the shape of the session form (and of a draft's values). */
export function sessionValues(s: FullSession): DraftValues {
  const start = utcToLondonParts(s.startsAt);
  const end = utcToLondonParts(s.endsAt);
  return {
    groupId: s.groupId, partnerId: s.partnerId ?? "", title: s.title, purpose: s.purpose,
    facilitatorIds: s.facilitators.map((f) => f.userId),
    startDate: { day: start.day, month: start.month, year: start.year }, startTime: start.time, endTime: end.time,
    online: s.online ? "yes" : "no", venueName: s.venueName, venueAddress: s.venueAddress, venueAccessibility: s.venueAccessibility, onlineDetails: s.onlineDetails,
    interpreterLanguages: s.interpreterLanguages.join(", "),
    support: [s.supportTravel && "travel", s.supportChildcare && "childcare", s.supportRefreshments && "refreshments"].filter((x): x is string => Boolean(x)),
    supportOther: s.supportOther, capacity: s.capacity === null ? "" : String(s.capacity),
    practicePresence: s.practicePresence, practicePresenceNotes: s.practicePresenceNotes, groundRules: s.groundRules,
    confidentiality: s.confidentiality, safeguardingLead: s.safeguardingLead,
    ...Object.fromEntries(PRINCIPLES.map((p) => [p.key, s[p.key]])),
    preparationNotes: s.preparationNotes,
  };
}

/** The section each field is on (the error summary sends the user to the page where an error is put right). */
export function sectionOfField(field: string): SectionKey | undefined {
  return SECTIONS.find((s) => (s.fields as readonly string[]).some((f) => field === f || field.startsWith(`${f}-`)))?.key;
}

/** The saved session's values that today's checks refuse, by section (a session saved before a rule was added). */
export function savedErrorsBySection(session: FullSession): Record<SectionKey, FieldErrors> {
  const parsed = parseSessionForm(sessionValues(session));
  const errors = parsed.ok ? {} : parsed.errors;
  return Object.fromEntries(SECTIONS.map((s) => [s.key, sectionErrors(s.key, errors)])) as Record<SectionKey, FieldErrors>;
}

export interface EditActor {
  practiceId: string;
  userId: string;
}

/** `unchanged`: the section as saved already (nothing written, whatever the version: nothing can be overwritten). */
export type SectionSave = Result<{ duplicate: boolean; unchanged: boolean }, "conflict" | "invalid">;

/** Whether `input` leaves a section's fields as `before` has them (as the form shows them; lists in any order). */
function sameSection(key: SectionKey, before: FullSession, input: SessionInput): boolean {
  const after: FullSession = { ...before, ...input, partnerId: input.partnerId ?? null, facilitators: input.facilitatorIds.map((userId) => ({ userId })) };
  const shown = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...(v as string[])].sort() : v);
  const [was, now] = [sessionValues(before), sessionValues(after)];
  return sectionOf(key)!.fields.every((f) => shown(was[f]) === shown(now[f]));
}

/**
 * Saves one section of a session: `typed` (the section's fields, as posted) over `before`'s
 * values, only if nobody saved the session since `version` was read. Refused "invalid" with
 * field errors (nothing written), "conflict" when someone saved first; `duplicate` when this
 * very page (`formId`) was saved already (a double click, back and resubmit): nothing saved twice.
 */
export async function saveSessionSection(
  prisma: PrismaClient, actor: EditActor, before: FullSession, key: SectionKey, typed: DraftValues, version: number, formId: string | undefined, now = new Date(),
  confirmedKinds?: IdentifyingKind[],
): Promise<SectionSave> {
  // This very page saved already (back and submit again): said so, nothing written.
  if ((await earlierSubmit(prisma, actor.practiceId, ACTION, formId)) === before.id) return ok({ duplicate: true, unchanged: false });
  const fields: readonly string[] = sectionOf(key)!.fields;
  const own = Object.fromEntries(Object.entries(typed).filter(([k]) => fields.includes(k)));
  const parsed = parseSessionForm({ ...sessionValues(before), ...own });
  if (!parsed.ok) {
    // A moved start in the past is said with the other errors of "When and where", not after they are fixed.
    const errors: FieldErrors = { ...parsed.errors };
    if (key === "when-and-where" && parsed.startsAt) for (const [k, m] of Object.entries(editErrors(before, parsed.startsAt, now))) errors[k] ??= m;
    return invalid(errors);
  }
  // The form shows times to the minute: outside "When and where" the saved instants are kept exactly.
  const input = key === "when-and-where" ? parsed.data : { ...parsed.data, startsAt: before.startsAt, endsAt: before.endsAt };
  const existing = { groupId: before.groupId, partnerId: before.partnerId, facilitatorIds: before.facilitators.map((f) => f.userId) };
  const errors: FieldErrors = { ...(await checkReferences(prisma, actor.practiceId, input, existing)), ...editErrors(before, input.startsAt, now) };
  if (Object.keys(errors).length) return invalid(errors);
  if (sameSection(key, before, input)) return ok({ duplicate: false, unchanged: true });
  return prisma.$transaction(async (tx) => {
    // The session row is the lock: a second submit of this page waits for the first, then finds the version moved on.
    const saved = await updateSessionIn(tx, actor.practiceId, actor.userId, before, version, input, { section: key, confirmedKinds });
    if (!saved.ok) return (await earlierSubmit(tx, actor.practiceId, ACTION, formId)) === before.id ? ok({ duplicate: true, unchanged: false }) : saved;
    await alreadyCreated(tx, actor.practiceId, ACTION, formId);
    await rememberCreated(tx, actor.practiceId, ACTION, formId, before.id);
    return ok({ duplicate: false, unchanged: false });
  });
}
