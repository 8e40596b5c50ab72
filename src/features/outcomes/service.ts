// Session outcomes: who may log one, drafts, and the final save that creates
// the ideas and marks the session held, in one transaction.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { ForbiddenError, NotFoundError } from "../../lib/errors.js";
import { redactIdentifyingDetails, type IdentifyingKind } from "../../lib/identifying-details.js";
import { isUuid } from "../../lib/routing.js";
import { ok, refused, type Result } from "../../lib/result.js";
import { recordAudit } from "../audit/service.js";
import { recordVerdicts, type VerdictInput } from "../report-back/verdicts.js";
import type { FinalOutcome, OutcomeFields, OutcomeValues } from "./schemas.js";

export interface Actor {
  practiceId: string;
  userId: string;
  role: Role;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why an outcome cannot be logged yet (or at all), in words for the page. */
export interface Unavailable {
  heading: string;
  message: string;
}

/**
 * The session, if this user may log its outcome: 404 for another practice's
 * (or no) session, 403 for a facilitator not assigned to it; `unavailable`
 * says why not yet (not started) or not at all (cancelled, postponed).
 */
export async function sessionForOutcome(prisma: PrismaClient, actor: Actor, sessionId: string, now = new Date()) {
  if (!isUuid(sessionId)) throw new NotFoundError();
  const session = await prisma.communitySession.findFirst({
    where: { id: sessionId, practiceId: actor.practiceId },
    include: {
      group: { select: { id: true, name: true } },
      facilitators: { select: { userId: true } },
      outcome: true,
    },
  });
  if (!session) throw new NotFoundError();
  if (actor.role === "FACILITATOR" && !session.facilitators.some((f) => f.userId === actor.userId)) {
    throw new ForbiddenError("Facilitators can log outcomes only for sessions assigned to them");
  }
  if (actor.role !== "MANAGER" && actor.role !== "FACILITATOR") throw new ForbiddenError();
  let unavailable: Unavailable | undefined;
  if (session.status === "CANCELLED") unavailable = { heading: "This session was cancelled", message: "There is no outcome to log for a cancelled session." };
  else if (session.status === "POSTPONED") unavailable = { heading: "This session was postponed", message: "Log the outcome once the session has been held on its new date." };
  else if (session.startsAt > now) unavailable = { heading: "This session has not started yet", message: "You can log the outcome once the session has started." };
  return { session, unavailable };
}

export type OutcomeSession = Awaited<ReturnType<typeof sessionForOutcome>>["session"];

interface DraftData {
  submissionId?: string;
  form?: OutcomeValues;
  finalisedAt?: string;
}

/**
 * The outcome as what happened: only once it is final (submitted). A draft is
 * not yet what happened, so its attendance and themes count nowhere (reports,
 * exports, the evidence report) until the facilitator saves the outcome.
 */
export function finalOutcome<O extends { isDraft: boolean }>(outcome: O | null | undefined): O | null {
  return outcome && !outcome.isDraft ? outcome : null;
}

export function draftDataOf(outcome: { draftData: unknown } | null): DraftData {
  const d = outcome?.draftData;
  return d && typeof d === "object" && !Array.isArray(d) ? (d as DraftData) : {};
}

export async function savedIdeas(prisma: PrismaClient, practiceId: string, sessionId: string) {
  return prisma.idea.findMany({
    where: { practiceId, sessionId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, text: true, support: true, consent: true, status: true, theme: { select: { name: true } } },
  });
}

/** Locks the session row, so two saves of one outcome (a double click) run one after the other. */
async function lockSession(tx: Prisma.TransactionClient, sessionId: string) {
  await tx.$queryRaw`select id from "CommunitySession" where id = ${sessionId}::uuid for update`;
}

/** A burst of draft saves by one person (an autosave every few seconds) is audited once. */
const DRAFT_AUDIT_GAP_MS = 10 * 60 * 1000;

export type DraftSave =
  /** Saved: the draft's new version and when. */
  | { ok: true; version: number; savedAt: Date }
  /** Not saved: a newer draft exists (saved after the page this came from was opened). */
  | { ok: false; reason: "newer-draft"; version: number; savedAt: Date }
  /** Not saved: the outcome was already saved for good. */
  | { ok: false; reason: "final" };

/**
 * Keeps everything typed; only what already validates goes into the outcome's
 * own columns. Creates no idea and changes no session status. `basedOn` is the
 * draft version the form was opened at (0: no draft yet): when a newer draft
 * exists, nothing is saved ("newer-draft"), so an autosave from an older page or
 * another window never overwrites newer work. Without `basedOn` (forms from
 * before versions), the draft is saved as before.
 */
export async function saveDraft(
  prisma: PrismaClient, actor: Actor, session: OutcomeSession, values: OutcomeValues, opts: { basedOn?: number; now?: Date } = {},
): Promise<DraftSave> {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await lockSession(tx, session.id);
    const existing = await tx.sessionOutcome.findUnique({ where: { sessionId: session.id } });
    if (existing && !existing.isDraft) return refused("final");
    if (existing && opts.basedOn !== undefined && opts.basedOn !== existing.version) {
      return refused("newer-draft", { version: existing.version, savedAt: existing.updatedAt });
    }
    const attendance = /^\s*\d{1,6}\s*$/.test(values.attendanceCount) ? Number(values.attendanceCount) : null;
    const columns = {
      attendanceCount: attendance,
      themesDiscussed: values.themesDiscussed,
      processReflection: values.processReflection,
      privateReflections: values.privateReflections,
      isDraft: true,
      draftData: { submissionId: values.submissionId, form: values } as unknown as Prisma.InputJsonValue,
      updatedById: actor.userId,
    };
    const outcome = existing
      ? await tx.sessionOutcome.update({ where: { id: existing.id }, data: { ...columns, version: { increment: 1 } } })
      : await tx.sessionOutcome.create({ data: { ...columns, practiceId: actor.practiceId, sessionId: session.id, createdById: actor.userId } });
    const burst = existing && existing.updatedById === actor.userId && now.getTime() - existing.updatedAt.getTime() < DRAFT_AUDIT_GAP_MS;
    if (!burst) {
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "outcome.draft-save", entityType: "SessionOutcome", entityId: outcome.id,
        details: { sessionId: session.id, ideas: values.ideas.length },
      });
    }
    return ok({ version: outcome.version, savedAt: outcome.updatedAt });
  });
}

/** The draft version a form was opened at: a whole number, or undefined when the form has none. */
export function draftVersionOf(body: unknown): number | undefined {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>).draftVersion : undefined;
  return typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

/** A field whose identifying details the facilitator confirmed as safe: recorded with the kinds, never the text. */
export interface Confirmation {
  field: string;
  kinds: IdentifyingKind[];
}

/** A duplicate (the same form again) is saved already: ok, with nothing created; "conflict" when another form saved it, or the session was called off; "newer-draft" when a newer draft exists than the page this came from. */
export type FinaliseResult =
  | ({ ok: true } & { duplicate: boolean; ideaIds: string[] })
  | { ok: false; reason: "conflict" }
  | { ok: false; reason: "newer-draft"; version: number; savedAt: Date };

/**
 * The final save, all or nothing: the outcome (no longer a draft), one idea
 * per row (RECEIVED, due `responseDeadlineDays` after the session ends), the
 * session marked HELD, and the audit trail. A second save of the same form
 * (same submissionId) finds the outcome final and creates nothing.
 */
export async function finaliseOutcome(
  prisma: PrismaClient,
  actor: Actor,
  session: OutcomeSession,
  data: FinalOutcome,
  opts: { submissionId: string; confirmations: Confirmation[]; basedOn?: number; verdicts?: { verdicts: VerdictInput[]; confirmations: { field: string; kinds: string[]; ideaId: string }[] } },
): Promise<FinaliseResult> {
  return prisma.$transaction(async (tx) => {
    await lockSession(tx, session.id);
    const existing = await tx.sessionOutcome.findUnique({ where: { sessionId: session.id } });
    if (existing && !existing.isDraft) {
      return draftDataOf(existing).submissionId === opts.submissionId ? ok({ duplicate: true, ideaIds: [] }) : refused("conflict");
    }
    // A newer draft (another window, another facilitator) is not thrown away by a save from an older page.
    if (existing && opts.basedOn !== undefined && opts.basedOn !== existing.version) {
      return refused("newer-draft", { version: existing.version, savedAt: existing.updatedAt });
    }
    const current = await tx.communitySession.findUniqueOrThrow({ where: { id: session.id }, select: { status: true, endsAt: true } });
    if (current.status === "CANCELLED" || current.status === "POSTPONED") return refused("conflict");
    const practice = await tx.practice.findUniqueOrThrow({ where: { id: actor.practiceId }, select: { responseDeadlineDays: true } });
    const dueAt = new Date(current.endsAt.getTime() + practice.responseDeadlineDays * DAY_MS);
    const columns = {
      attendanceCount: data.attendanceCount,
      themesDiscussed: data.themesDiscussed,
      processReflection: data.processReflection,
      privateReflections: data.privateReflections,
      isDraft: false,
      draftData: { submissionId: opts.submissionId, finalisedAt: new Date().toISOString() },
      updatedById: actor.userId,
    };
    const outcome = existing
      ? await tx.sessionOutcome.update({ where: { id: existing.id }, data: { ...columns, version: { increment: 1 } } })
      : await tx.sessionOutcome.create({ data: { ...columns, practiceId: actor.practiceId, sessionId: session.id, createdById: actor.userId } });
    const ideas = data.ideas.length
      ? await tx.idea.createManyAndReturn({
          data: data.ideas.map((idea, position) => ({
            practiceId: actor.practiceId, sessionId: session.id, groupId: session.groupId, themeId: idea.themeId,
            text: idea.text, support: idea.support, consent: idea.consent, status: "RECEIVED" as const, dueAt, position,
          })),
          select: { id: true, position: true },
        })
      : [];
    ideas.sort((x, y) => x.position - y.position);
    if (current.status !== "HELD") {
      await tx.communitySession.update({ where: { id: session.id }, data: { status: "HELD", version: { increment: 1 } } });
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "session.held", entityType: "CommunitySession", entityId: session.id,
        details: { previous: { status: current.status }, status: "HELD" },
      });
    }
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "outcome.save", entityType: "SessionOutcome", entityId: outcome.id,
      details: { sessionId: session.id, submissionId: opts.submissionId, attendanceCount: data.attendanceCount, ideaIds: ideas.map((i) => i.id) },
    });
    for (const [i, idea] of ideas.entries()) {
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "idea.create", entityType: "Idea", entityId: idea.id,
        details: { sessionId: session.id, themeId: data.ideas[i]!.themeId, consent: data.ideas[i]!.consent, support: data.ideas[i]!.support },
      });
    }
    // What the group said about the practice's answers (issue 18), in the same transaction.
    if (opts.verdicts) await recordVerdicts(tx, actor, session, opts.verdicts.verdicts, opts.verdicts.confirmations);
    if (opts.confirmations.length) {
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "outcome.identifying-details-confirmed", entityType: "SessionOutcome", entityId: outcome.id,
        details: {
          sessionId: session.id,
          fields: opts.confirmations.map((c) => {
            const m = /^ideas-(\d+)-text$/.exec(c.field);
            const ideaId = m ? ideas[Number(m[1])]?.id : undefined;
            return { field: c.field, kinds: c.kinds, ...(ideaId ? { ideaId } : {}) } as Prisma.InputJsonObject;
          }),
        },
      });
    }
    return ok({ duplicate: false, ideaIds: ideas.map((i) => i.id) });
  });
}

/** After the final save: the outcome's own fields can still be corrected (the ideas are edited from /ideas). */
export async function updateFinalOutcome(prisma: PrismaClient, actor: Actor, session: OutcomeSession, data: OutcomeFields, confirmations: Confirmation[]) {
  return prisma.$transaction(async (tx) => {
    await lockSession(tx, session.id);
    const existing = await tx.sessionOutcome.findUnique({ where: { sessionId: session.id } });
    if (!existing || existing.isDraft) throw new NotFoundError();
    const previous: Record<string, unknown> = {};
    const changed: Record<string, unknown> = {};
    for (const key of ["attendanceCount", "themesDiscussed", "processReflection", "privateReflections"] as const) {
      if (existing[key] !== data[key]) {
        previous[key] = existing[key];
        changed[key] = data[key];
      }
    }
    if (Object.keys(changed).length === 0) return { changed: false };
    await tx.sessionOutcome.update({ where: { id: existing.id }, data: { ...changed, updatedById: actor.userId, version: { increment: 1 } } });
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "outcome.update", entityType: "SessionOutcome", entityId: existing.id,
      // Private reflections are audited as changed, without their text.
      details: {
        sessionId: session.id,
        fields: Object.keys(changed),
        // Identifying details a correction took out are not kept in "previous" either.
        previous: Object.fromEntries(
          Object.entries(previous).filter(([k]) => k !== "privateReflections").map(([k, v]) => [k, typeof v === "string" ? redactIdentifyingDetails(v) : v]),
        ) as Prisma.InputJsonObject,
      },
    });
    if (confirmations.length) {
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "outcome.identifying-details-confirmed", entityType: "SessionOutcome", entityId: existing.id,
        details: { sessionId: session.id, fields: confirmations.map((c) => ({ field: c.field, kinds: c.kinds })) },
      });
    }
    return { changed: true };
  });
}
