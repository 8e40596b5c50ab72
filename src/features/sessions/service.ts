// Protected community sessions: scheduling, facilitators, the status flow and
// optimistic concurrency (a version number checked in the update's WHERE).
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { Role, SessionStatus } from "../../generated/prisma/enums.js";
import { ForbiddenError, NotFoundError } from "../../lib/errors.js";
import type { FieldErrors } from "../../lib/forms.js";
import { isUuid } from "../../lib/routing.js";
import { recordAudit } from "../audit/service.js";
import type { IdentifyingKind } from "../../lib/identifying-details.js";
import { changedParts, queueSessionChanged, queueSessionStatusNotice, queueSessionUnassigned } from "../mail/service.js";
import { alreadyCreated, rememberCreated, RESUBMIT_WINDOW_MS } from "../../lib/idempotency.js";
import { ok, refused, type Result } from "../../lib/result.js";
import type { SessionInput } from "./schemas.js";

export const STATUS_LABELS: Record<SessionStatus, string> = {
  DRAFT: "Draft", SCHEDULED: "Scheduled", HELD: "Held", CANCELLED: "Cancelled", POSTPONED: "Postponed",
};
export const STATUS_TAG: Record<SessionStatus, string> = {
  DRAFT: "nhsuk-tag--grey", SCHEDULED: "nhsuk-tag--blue", HELD: "nhsuk-tag--green", CANCELLED: "nhsuk-tag--red", POSTPONED: "nhsuk-tag--orange",
};

const TRANSITIONS: Record<SessionStatus, SessionStatus[]> = {
  DRAFT: ["SCHEDULED", "CANCELLED"],
  SCHEDULED: ["HELD", "POSTPONED", "CANCELLED"],
  POSTPONED: ["SCHEDULED", "CANCELLED"],
  HELD: [],
  CANCELLED: [],
};
export const NEEDS_REASON: SessionStatus[] = ["CANCELLED", "POSTPONED"];

/** The statuses this session may move to now: scheduling needs a start in the future; held needs the session to have started. */
export function allowedTransitions(s: { status: SessionStatus; startsAt: Date }, now = new Date()): SessionStatus[] {
  return TRANSITIONS[s.status].filter((to) => {
    if (to === "SCHEDULED") return s.startsAt.getTime() > now.getTime();
    if (to === "HELD") return s.startsAt.getTime() <= now.getTime();
    return true;
  });
}

const TRANSITION_FROM_ALLOWS_SCHEDULE: SessionStatus[] = ["DRAFT", "POSTPONED"];
const FUTURE_START = "A scheduled session must start in the future";

/** A new session saved as SCHEDULED must start in the future. */
export function newSessionErrors(status: SessionStatus, startsAt: Date, now = new Date()): FieldErrors {
  return status === "SCHEDULED" && startsAt.getTime() <= now.getTime() ? { startDate: `${FUTURE_START}: change the date, or save it as a draft` } : {};
}

/** A scheduled session may be moved only to a start in the future. */
export function editErrors(before: { status: SessionStatus; startsAt: Date }, startsAt: Date, now = new Date()): FieldErrors {
  const moved = startsAt.getTime() !== before.startsAt.getTime();
  return before.status === "SCHEDULED" && moved && startsAt.getTime() <= now.getTime()
    ? { startDate: `${FUTURE_START}: change the date, or postpone or cancel the session` }
    : {};
}

/** Why a session may not move to `to` now (none when it may): the transitions above, and a reason for cancelling or postponing. */
export function statusChangeErrors(session: { status: SessionStatus; startsAt: Date }, to: SessionStatus, reason: string, now = new Date()): FieldErrors {
  if (!allowedTransitions(session, now).includes(to)) {
    return {
      status:
        to === "HELD" && session.status === "SCHEDULED"
          ? "A session can be marked as held only once it has started"
          : to === "SCHEDULED" && TRANSITION_FROM_ALLOWS_SCHEDULE.includes(session.status)
            ? "A session can be scheduled only if it starts in the future: change its date first"
            : `A ${STATUS_LABELS[session.status].toLowerCase()} session cannot be marked as ${STATUS_LABELS[to].toLowerCase()}`,
    };
  }
  if (NEEDS_REASON.includes(to) && !reason) return { reason: `Enter why the session is ${STATUS_LABELS[to].toLowerCase()}` };
  return {};
}

export interface Viewer {
  id: string;
  role: Role;
}

const listSelect = {
  id: true, title: true, startsAt: true, endsAt: true, status: true, online: true, venueName: true,
  group: { select: { id: true, name: true } },
} as const;

export async function listSessions(
  prisma: PrismaClient,
  practiceId: string,
  viewer: Viewer,
  opts: { when: "upcoming" | "past"; groupId?: string; facilitatorId?: string; status?: SessionStatus; skip: number; take: number },
  now = new Date(),
) {
  const facilitatorFilters: Prisma.CommunitySessionWhereInput[] = [];
  if (viewer.role === "FACILITATOR") facilitatorFilters.push({ facilitators: { some: { userId: viewer.id } } });
  if (opts.facilitatorId) facilitatorFilters.push({ facilitators: { some: { userId: opts.facilitatorId } } });
  const where: Prisma.CommunitySessionWhereInput = {
    practiceId,
    endsAt: opts.when === "upcoming" ? { gte: now } : { lt: now },
    ...(opts.groupId ? { groupId: opts.groupId } : {}),
    ...(opts.status ? { status: opts.status } : {}),
    ...(facilitatorFilters.length ? { AND: facilitatorFilters } : {}),
  };
  const order = opts.when === "upcoming" ? "asc" : "desc";
  const [total, sessions] = await Promise.all([
    prisma.communitySession.count({ where }),
    prisma.communitySession.findMany({ where, orderBy: [{ startsAt: order }, { id: "asc" }], skip: opts.skip, take: opts.take, select: listSelect }),
  ]);
  return { total, sessions };
}

/** Active practice members who can run a session (facilitators and managers). */
export async function facilitatorChoices(prisma: PrismaClient, practiceId: string) {
  const members = await prisma.membership.findMany({
    where: { practiceId, active: true, role: { in: ["FACILITATOR", "MANAGER"] }, user: { active: true } },
    select: { role: true, acceptedAt: true, invitedName: true, user: { select: { id: true, name: true } } },
    orderBy: { user: { name: "asc" } },
    take: 500,
  });
  // Until an invited person accepts, the practice sees the name its manager typed, not the account's own (#14).
  return members.map((m) => ({ id: m.user.id, name: m.acceptedAt ? m.user.name : (m.invitedName ?? m.user.name), role: m.role }));
}

export async function groupChoices(prisma: PrismaClient, practiceId: string, includeId?: string) {
  return prisma.communityGroup.findMany({
    where: { practiceId, OR: [{ archivedAt: null }, ...(includeId && isUuid(includeId) ? [{ id: includeId }] : [])] },
    orderBy: { name: "asc" },
    select: { id: true, name: true, archivedAt: true },
    take: 500,
  });
}

/** A group of the practice that is not archived, or null: the defaults of a new session come from it. */
export async function activeGroup(prisma: PrismaClient, practiceId: string, id: string) {
  return prisma.communityGroup.findFirst({ where: { id, practiceId, archivedAt: null } });
}

export async function getSession(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const session = await prisma.communitySession.findFirst({
    where: { id, practiceId },
    include: {
      group: { select: { id: true, name: true, accessNeeds: true, usualTimes: true, languages: true, readingLanguages: true, archivedAt: true } },
      partner: { select: { id: true, name: true, contactName: true, contactPhone: true, contactEmail: true } },
      facilitators: { select: { userId: true } },
      outcome: { select: { isDraft: true, updatedAt: true } },
    },
  });
  if (!session) throw new NotFoundError();
  return session;
}
export type FullSession = Awaited<ReturnType<typeof getSession>>;

export function isAssigned(session: { facilitators: { userId: string }[] }, userId: string): boolean {
  return session.facilitators.some((f) => f.userId === userId);
}

/** Facilitators see only the sessions they are assigned to. */
export function assertCanView(session: FullSession, viewer: Viewer): void {
  if (viewer.role === "FACILITATOR" && !isAssigned(session, viewer.id)) throw new ForbiddenError();
}

export async function facilitatorNames(prisma: PrismaClient, practiceId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  const users = await prisma.user.findMany({
    where: { id: { in: userIds }, memberships: { some: { practiceId } } },
    select: { id: true, name: true, memberships: { where: { practiceId }, select: { acceptedAt: true, invitedName: true } } },
    orderBy: { name: "asc" },
  });
  // Until an invited person accepts, the practice sees the name its manager typed, not the account's own (#14).
  return users.map(({ memberships: [m], ...u }) => ({ id: u.id, name: m && !m.acceptedAt ? (m.invitedName ?? u.name) : u.name }));
}

/** The checks that need the database: the group, partner and facilitators must be this practice's. */
export async function checkReferences(
  prisma: PrismaClient,
  practiceId: string,
  input: Pick<SessionInput, "groupId" | "partnerId" | "facilitatorIds">,
  existing?: { groupId: string; partnerId: string | null; facilitatorIds: string[] },
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const [group, partner, members] = await Promise.all([
    prisma.communityGroup.findFirst({ where: { id: input.groupId, practiceId }, select: { id: true, archivedAt: true } }),
    input.partnerId ? prisma.partnerOrganisation.findFirst({ where: { id: input.partnerId, practiceId }, select: { id: true, archivedAt: true } }) : null,
    prisma.membership.findMany({
      where: { practiceId, userId: { in: input.facilitatorIds }, active: true, role: { in: ["FACILITATOR", "MANAGER"] }, user: { active: true } },
      select: { userId: true },
    }),
  ]);
  if (!group) errors.groupId = "Select a community group from the list";
  else if (group.archivedAt && group.id !== existing?.groupId) errors.groupId = "That group is archived: restore it first or choose another";
  if (input.partnerId) {
    if (!partner) errors.partnerId = "Select a partner organisation from the list";
    else if (partner.archivedAt && partner.id !== existing?.partnerId) errors.partnerId = "That partner organisation is archived: restore it first or choose another";
  }
  const ok = new Set(members.map((m) => m.userId));
  // A facilitator already on the session stays allowed even if their role changed since.
  const unknown = input.facilitatorIds.filter((id) => !ok.has(id) && !existing?.facilitatorIds.includes(id));
  if (unknown.length) errors.facilitatorIds = "Select facilitators from this practice's list";
  return errors;
}

function columns(input: SessionInput) {
  const { facilitatorIds: _f, partnerId, ...rest } = input;
  return { ...rest, partnerId: partnerId ?? null };
}

export async function createSession(
  prisma: PrismaClient,
  practiceId: string,
  actorId: string,
  input: SessionInput,
  status: "DRAFT" | "SCHEDULED",
  formId?: string,
  confirmed: { confirmedKinds?: IdentifyingKind[] } = {},
  now = new Date(),
) {
  return prisma.$transaction(async (tx) => {
    const existing = await alreadyCreated(tx, practiceId, "session.create", formId);
    if (existing) return { id: existing, duplicate: true };
    // Back, then "Save" again (a new formId, the same answers restored by the browser): a session of the same
    // group, start and title that this user created within RESUBMIT_WINDOW_MS is that one (lib/idempotency.ts).
    // Serialised per group, so two such submits at once cannot both miss each other.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`session.create:${input.groupId}`}))`;
    const same = await sameSessionCreatedBy(tx, practiceId, actorId, input, now);
    if (same) {
      await rememberCreated(tx, practiceId, "session.create", formId, same);
      return { id: same, duplicate: true };
    }
    const session = await createSessionIn(tx, practiceId, actorId, input, status, formId, confirmed);
    await rememberCreated(tx, practiceId, "session.create", formId, session.id);
    return { id: session.id, duplicate: false };
  });
}

/** The id of a session with this group, start and title that `actorId` created within RESUBMIT_WINDOW_MS before `now`, if any. */
async function sameSessionCreatedBy(tx: Prisma.TransactionClient, practiceId: string, actorId: string, input: SessionInput, now: Date): Promise<string | undefined> {
  const since = new Date(now.getTime() - RESUBMIT_WINDOW_MS);
  const candidates = await tx.communitySession.findMany({
    where: { practiceId, groupId: input.groupId, startsAt: input.startsAt, title: input.title, createdAt: { gte: since, lte: now } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  if (!candidates.length) return undefined;
  // Sessions do not record who made them; the audit entry of the creation does.
  const made = await tx.auditEvent.findFirst({
    where: { practiceId, createdAt: { gte: since }, action: "session.create", actorId, entityType: "CommunitySession", entityId: { in: candidates.map((c) => c.id) } },
    select: { entityId: true },
    orderBy: { createdAt: "asc" },
  });
  return made?.entityId ?? undefined;
}

/** The session row, its facilitators and the audit entry, inside the caller's transaction (also used to schedule a draft: draft.ts). */
export async function createSessionIn(
  tx: Prisma.TransactionClient, practiceId: string, actorId: string, input: SessionInput, status: "DRAFT" | "SCHEDULED", formId?: string,
  extra: { fromDraftId?: string; confirmedKinds?: IdentifyingKind[] } = {},
) {
  const session = await tx.communitySession.create({
    data: {
      practiceId,
      ...columns(input),
      status,
      facilitators: { create: input.facilitatorIds.map((userId) => ({ practiceId, userId })) },
    },
  });
  await recordAudit(tx, {
    practiceId, actorId, action: "session.create", entityType: "CommunitySession", entityId: session.id,
    details: { formId: formId ?? null, status, ...(extra.fromDraftId ? { fromDraftId: extra.fromDraftId } : {}) },
  });
  await auditConfirmed(tx, practiceId, actorId, session.id, extra.confirmedKinds);
  return session;
}

/** Identifying details the manager confirmed in the title or venue (features/sessions/text-checks.ts): audited in the save's transaction, kinds only. */
async function auditConfirmed(tx: Prisma.TransactionClient, practiceId: string, actorId: string, sessionId: string, kinds: IdentifyingKind[] | undefined) {
  if (!kinds?.length) return;
  await recordAudit(tx, { practiceId, actorId, action: "session.identifying-details-confirmed", entityType: "CommunitySession", entityId: sessionId, details: { kinds } });
}

function snapshot(s: FullSession) {
  const { group: _g, partner: _p, facilitators, createdAt: _c, updatedAt: _u, ...rest } = s;
  return { ...rest, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), facilitatorIds: facilitators.map((f) => f.userId) };
}

/** Updates only if nobody saved since `version` was read; refused with "conflict" when someone else did. */
export async function updateSession(prisma: PrismaClient, practiceId: string, actorId: string, before: FullSession, version: number, input: SessionInput): Promise<Result> {
  return prisma.$transaction((tx) => updateSessionIn(tx, practiceId, actorId, before, version, input));
}

/**
 * updateSession inside the caller's transaction (also one section saved: edit.ts). Refused with
 * "conflict" before anything is written; `extra` goes into the audit entry's details.
 */
export async function updateSessionIn(
  tx: Prisma.TransactionClient, practiceId: string, actorId: string, before: FullSession, version: number, input: SessionInput,
  { confirmedKinds, ...extra }: { section?: string; confirmedKinds?: IdentifyingKind[] } = {},
): Promise<Result> {
  const { count } = await tx.communitySession.updateMany({
    where: { id: before.id, practiceId, version },
    data: { ...columns(input), version: { increment: 1 } },
  });
  if (count !== 1) return refused("conflict");
  await tx.sessionFacilitator.deleteMany({ where: { practiceId, sessionId: before.id } });
  await tx.sessionFacilitator.createMany({ data: input.facilitatorIds.map((userId) => ({ practiceId, sessionId: before.id, userId })) });
  await recordAudit(tx, {
    practiceId, actorId, action: "session.update", entityType: "CommunitySession", entityId: before.id, details: { previous: snapshot(before), ...extra } as Prisma.InputJsonValue,
  });
  await auditConfirmed(tx, practiceId, actorId, before.id, confirmedKinds);
  await queueSessionChanged(tx, { practiceId, actorId, sessionId: before.id, status: before.status, changed: changedParts(before, { ...before, ...columns(input) }) });
  const removedIds = before.facilitators.map((f) => f.userId).filter((id) => !input.facilitatorIds.includes(id));
  await queueSessionUnassigned(tx, { practiceId, actorId, sessionId: before.id, status: before.status, removedIds });
  return ok();
}

export async function updatePreparation(prisma: PrismaClient, practiceId: string, actorId: string, before: FullSession, version: number, preparationNotes: string): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.communitySession.updateMany({ where: { id: before.id, practiceId, version }, data: { preparationNotes, version: { increment: 1 } } });
    if (count !== 1) return refused("conflict");
    await recordAudit(tx, { practiceId, actorId, action: "session.preparation", entityType: "CommunitySession", entityId: before.id, details: { previous: { preparationNotes: before.preparationNotes } } });
    return ok();
  });
}

export async function changeStatus(
  prisma: PrismaClient, practiceId: string, actorId: string, before: FullSession, version: number, status: SessionStatus, reason: string,
): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.communitySession.updateMany({
      where: { id: before.id, practiceId, version, status: before.status },
      data: { status, statusReason: NEEDS_REASON.includes(status) ? reason : "", version: { increment: 1 } },
    });
    if (count !== 1) return refused("conflict");
    await recordAudit(tx, {
      practiceId, actorId, action: "session.status", entityType: "CommunitySession", entityId: before.id,
      details: { previous: { status: before.status, statusReason: before.statusReason }, status, reason },
    });
    await queueSessionStatusNotice(tx, { practiceId, actorId, sessionId: before.id, status });
    return ok();
  });
}

/** What suits the group, proposed on a new session planned step by step (as /sessions/new?groupId= does): {} for no such active group. */
export async function groupDefaults(prisma: PrismaClient, practiceId: string, groupId: string): Promise<Record<string, string>> {
  if (!isUuid(groupId)) return {};
  const group = await prisma.communityGroup.findFirst({ where: { id: groupId, practiceId, archivedAt: null } });
  if (!group) return {};
  return {
    groupId: group.id, partnerId: group.partnerId ?? "", venueName: group.usualVenue, interpreterLanguages: group.languages.join(", "),
    venueAccessibility: group.accessNeeds ? `The group's access needs: ${group.accessNeeds}` : "",
  };
}
