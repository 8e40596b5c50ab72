// A session planned step by step (issue 17): a SessionDraft keeps what the
// manager typed, as typed, section by section, until "Schedule session" turns
// it into a scheduled CommunitySession in one transaction. The sections, the
// rule for each section's status on the task list, and every database access
// of drafts are here; draft-routes.ts only reads requests and renders.
//
// Status of a section (sectionStatuses, a pure function):
//   - Cannot start yet: it needs the community group first (its usual place,
//     languages and access needs are what the section starts from), and the
//     group section is not completed;
//   - Completed: saved from its own page (or from the one-page form) and
//     every field in it passes the session form's own checks;
//   - Incomplete: anything else.
// "Check and schedule" cannot start until every section is completed.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { NotFoundError } from "../../lib/errors.js";
import type { FieldErrors } from "../../lib/forms.js";
import type { IdentifyingKind } from "../../lib/identifying-details.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import { isUuid } from "../../lib/routing.js";
import { recordAudit } from "../audit/service.js";
import { asList, parseSessionForm, PRINCIPLES, SESSION_FIELDS, type SessionInput } from "./schemas.js";
import { checkReferences, createSessionIn } from "./service.js";

export type DraftValues = Record<string, unknown>;

export const SECTIONS = [
  { key: "group", title: "Group and purpose", fields: ["groupId", "partnerId", "title", "purpose"], needsGroup: false },
  { key: "when-and-where", title: "When and where", fields: ["startDate", "startTime", "endTime", "online", "venueName", "venueAddress", "venueAccessibility", "onlineDetails"], needsGroup: true },
  { key: "facilitators", title: "Facilitators", fields: ["facilitatorIds"], needsGroup: false },
  { key: "ground-rules", title: "Ground rules and confidentiality", fields: ["practicePresence", "practicePresenceNotes", "groundRules", "confidentiality", "safeguardingLead"], needsGroup: false },
  {
    key: "access", title: "Access, support and checklist",
    fields: ["interpreterLanguages", "support", "supportOther", "capacity", ...PRINCIPLES.map((p) => p.key), "preparationNotes"], needsGroup: true,
  },
] as const;

export type SectionKey = (typeof SECTIONS)[number]["key"];
export type SectionStatus = "COMPLETED" | "INCOMPLETE" | "CANNOT_START";
export const SECTION_STATUS_LABELS: Record<SectionStatus, string> = { COMPLETED: "Completed", INCOMPLETE: "Incomplete", CANNOT_START: "Cannot start yet" };

export function sectionOf(key: unknown) {
  return SECTIONS.find((s) => s.key === key);
}

/** No text in a draft is longer than this (the session form's own limits apply when it is scheduled). */
const MAX_DRAFT_TEXT = 10_000;
const TEXT_FIELDS = SESSION_FIELDS.filter((f) => !["conflict", "facilitatorIds", "support", "startDate", "status"].includes(f));

/** What was posted, kept as typed (strings only), limited to the given fields. */
export function draftValuesFrom(body: unknown, fields: readonly string[] = [...TEXT_FIELDS, "facilitatorIds", "support", "startDate"]): DraftValues {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const out: DraftValues = {};
  for (const f of fields) {
    if (f === "facilitatorIds" || f === "support") out[f] = asList(b[f]).slice(0, 50).map((s) => s.slice(0, 100));
    else if (f === "startDate") {
      const d = b.startDate && typeof b.startDate === "object" ? (b.startDate as Record<string, unknown>) : {};
      const part = (v: unknown) => (typeof v === "string" ? v.slice(0, 10) : "");
      out.startDate = { day: part(d.day), month: part(d.month), year: part(d.year) };
    } else if (typeof b[f] === "string") out[f] = (b[f] as string).slice(0, MAX_DRAFT_TEXT);
  }
  return out;
}

interface DraftData {
  values: DraftValues;
  visited: SectionKey[];
}

export function draftDataOf(row: { data: unknown }): DraftData {
  const d = row.data && typeof row.data === "object" && !Array.isArray(row.data) ? (row.data as Record<string, unknown>) : {};
  const values = d.values && typeof d.values === "object" && !Array.isArray(d.values) ? (d.values as DraftValues) : {};
  const visited = Array.isArray(d.visited) ? (d.visited.filter((k) => sectionOf(k)) as SectionKey[]) : [];
  return { values, visited };
}

/** The session form's own checks (no database), keyed by field: the errors of one section are those on its fields. */
export function formErrors(values: DraftValues): FieldErrors {
  const parsed = parseSessionForm(values as Record<string, unknown>);
  return parsed.ok ? {} : parsed.errors;
}

export function sectionErrors(key: SectionKey, errors: FieldErrors): FieldErrors {
  const fields: readonly string[] = sectionOf(key)!.fields;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => fields.some((f) => k === f || k.startsWith(`${f}-`))));
}

/** Each section's status, and whether the whole draft can be checked and scheduled. */
export function sectionStatuses(data: DraftData): { statuses: Record<SectionKey, SectionStatus>; ready: boolean } {
  const errors = formErrors(data.values);
  const done = (key: SectionKey) => data.visited.includes(key) && Object.keys(sectionErrors(key, errors)).length === 0;
  const groupDone = done("group");
  const statuses = {} as Record<SectionKey, SectionStatus>;
  for (const s of SECTIONS) statuses[s.key] = s.needsGroup && !groupDone ? "CANNOT_START" : done(s.key) ? "COMPLETED" : "INCOMPLETE";
  return { statuses, ready: SECTIONS.every((s) => statuses[s.key] === "COMPLETED") };
}

// ---------------------------------------------------------------------------
// Database

export interface DraftActor {
  practiceId: string;
  userId: string;
}

export async function getDraft(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const draft = await prisma.sessionDraft.findFirst({ where: { id, practiceId } });
  if (!draft) throw new NotFoundError();
  return draft;
}
export type SessionDraftRow = Awaited<ReturnType<typeof getDraft>>;

/** A title for lists: what was typed, or "Untitled session". */
export function draftTitle(values: DraftValues): string {
  return typeof values.title === "string" && values.title.trim() ? values.title.trim() : "Untitled session";
}

/** The practice's drafts, newest first, with the group's name when one was chosen. */
export async function listDrafts(prisma: PrismaClient, practiceId: string, take = 10) {
  const [total, rows] = await Promise.all([
    prisma.sessionDraft.count({ where: { practiceId } }),
    prisma.sessionDraft.findMany({ where: { practiceId }, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], take }),
  ]);
  const groupIds = [...new Set(rows.map((r) => draftDataOf(r).values.groupId).filter(isUuid))];
  const groups = groupIds.length ? await prisma.communityGroup.findMany({ where: { practiceId, id: { in: groupIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(groups.map((g) => [g.id, g.name]));
  return {
    total,
    drafts: rows.map((r) => {
      const data = draftDataOf(r);
      const { statuses } = sectionStatuses(data);
      return {
        id: r.id, updatedAt: r.updatedAt, title: draftTitle(data.values),
        groupName: isUuid(data.values.groupId) ? (names.get(data.values.groupId) ?? "") : "",
        completed: SECTIONS.filter((s) => statuses[s.key] === "COMPLETED").length,
        sections: SECTIONS.length,
      };
    }),
  };
}

/** Starts a draft (a double submit of the same form returns the first one). `visited`: the sections already seen (all, from the one-page form). */
export async function createDraft(prisma: PrismaClient, actor: DraftActor, values: DraftValues, visited: SectionKey[], formId: string) {
  return prisma.$transaction(async (tx) => {
    const existing = await alreadyCreated(tx, actor.practiceId, "session-draft.create", formId);
    if (existing) return { id: existing, duplicate: true };
    const draft = await tx.sessionDraft.create({
      data: { practiceId: actor.practiceId, data: { values, visited } as unknown as Prisma.InputJsonValue, createdById: actor.userId, updatedById: actor.userId },
    });
    await rememberCreated(tx, actor.practiceId, "session-draft.create", formId, draft.id);
    await recordAudit(tx, { practiceId: actor.practiceId, actorId: actor.userId, action: "session-draft.create", entityType: "SessionDraft", entityId: draft.id, details: { formId } });
    return { id: draft.id, duplicate: false };
  });
}

/**
 * Saves one section's values into the draft, only if nobody saved it since
 * `version` was read (false: someone did, nothing saved). `complete`: saved
 * with "Save and continue" (it counts towards Completed); "Save and come back
 * later" leaves the section Incomplete.
 */
export async function saveSection(
  prisma: PrismaClient, actor: DraftActor, draft: SessionDraftRow, version: number, key: SectionKey, sectionValues: DraftValues, complete: boolean,
): Promise<boolean> {
  const data = draftDataOf(draft);
  const others = data.visited.filter((k) => k !== key);
  const next: DraftData = { values: { ...data.values, ...sectionValues }, visited: complete ? [...others, key] : others };
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.sessionDraft.updateMany({
      where: { id: draft.id, practiceId: actor.practiceId, version },
      data: { data: next as unknown as Prisma.InputJsonValue, version: { increment: 1 }, updatedById: actor.userId },
    });
    if (count !== 1) return false;
    // Not audited per section: the draft's creation and its scheduling are (a draft is nobody's record yet).
    return true;
  });
}

/** The checks that need the database, for the fields of one section (group, partner, facilitators). */
export async function referenceErrors(prisma: PrismaClient, practiceId: string, values: DraftValues, key: SectionKey): Promise<FieldErrors> {
  if (key !== "group" && key !== "facilitators") return {};
  // Called once the section passes the form's checks (so its ids are ids); the other section's ids are left out.
  const NIL = "00000000-0000-0000-0000-000000000000";
  const input = {
    groupId: key === "group" && isUuid(values.groupId) ? values.groupId : NIL,
    partnerId: key === "group" && isUuid(values.partnerId) ? values.partnerId : undefined,
    facilitatorIds: key === "facilitators" ? asList(values.facilitatorIds).filter(isUuid) : [],
  };
  const errors = await checkReferences(prisma, practiceId, input);
  return sectionErrors(key, errors);
}

export type ScheduleResult =
  | { status: "scheduled"; sessionId: string; title: string }
  | { status: "invalid"; errors: FieldErrors }
  | { status: "conflict" }
  /** Scheduled already (a double click): the session it became. */
  | { status: "done"; sessionId: string };

/**
 * "Schedule session": the whole session form's checks, the references, a
 * start in the future; then, in one transaction, the scheduled session is
 * created and the draft removed (a second submit finds the session made).
 */
export async function scheduleDraft(
  prisma: PrismaClient, actor: DraftActor, draft: SessionDraftRow, version: number, now = new Date(), confirmedKinds?: IdentifyingKind[],
): Promise<ScheduleResult> {
  const { values } = draftDataOf(draft);
  const parsed = parseSessionForm(values as Record<string, unknown>);
  if (!parsed.ok) return { status: "invalid", errors: parsed.errors };
  const errors = await checkReferences(prisma, actor.practiceId, parsed.data);
  if (parsed.data.startsAt.getTime() <= now.getTime()) errors.startDate = "A scheduled session must start in the future: change the date";
  if (Object.keys(errors).length) return { status: "invalid", errors };
  const input: SessionInput = parsed.data;
  return prisma.$transaction(async (tx) => {
    // The draft row is the lock: a second click waits for the first, then finds the draft gone.
    const { count } = await tx.sessionDraft.deleteMany({ where: { id: draft.id, practiceId: actor.practiceId, version } });
    if (count !== 1) {
      const made = await tx.idempotencyKey.findUnique({
        where: { practiceId_formId_action: { practiceId: actor.practiceId, formId: draft.id, action: "session-draft.schedule" } }, select: { entityId: true },
      });
      return made?.entityId ? ({ status: "done", sessionId: made.entityId } as const) : ({ status: "conflict" } as const);
    }
    await alreadyCreated(tx, actor.practiceId, "session-draft.schedule", draft.id);
    const session = await createSessionIn(tx, actor.practiceId, actor.userId, input, "SCHEDULED", undefined, { fromDraftId: draft.id, confirmedKinds });
    await rememberCreated(tx, actor.practiceId, "session-draft.schedule", draft.id, session.id);
    return { status: "scheduled", sessionId: session.id, title: input.title } as const;
  });
}

/** The session a draft became, when it was scheduled already (for a second click or an old link). */
export async function scheduledFrom(prisma: PrismaClient, practiceId: string, draftId: string): Promise<string | undefined> {
  if (!isUuid(draftId)) return undefined;
  const key = await prisma.idempotencyKey.findUnique({ where: { practiceId_formId_action: { practiceId, formId: draftId, action: "session-draft.schedule" } }, select: { entityId: true } });
  return key?.entityId ?? undefined;
}

export async function deleteDraft(prisma: PrismaClient, actor: DraftActor, draft: SessionDraftRow, version: number): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.sessionDraft.deleteMany({ where: { id: draft.id, practiceId: actor.practiceId, version } });
    if (count !== 1) return false;
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "session-draft.delete", entityType: "SessionDraft", entityId: draft.id,
      details: { title: draftTitle(draftDataOf(draft).values) },
    });
    return true;
  });
}
