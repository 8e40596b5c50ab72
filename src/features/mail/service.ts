// The mail feature's database access: what the trigger points queue, what the
// worker reads and records when it sends, the scheduled scans (reminders and
// the weekly digest), preferences and the outbox list. Nothing here sends.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { MailKind, MailStatus, SessionStatus } from "../../generated/prisma/enums.js";
import { recordAudit } from "../audit/service.js";
import { queueMail, queueSendJobs, type MailRequest } from "./queue.js";

type Tx = Prisma.TransactionClient;

/** A reminder goes to each facilitator of a scheduled session that starts within this long. */
export const REMINDER_LEAD_MS = 48 * 3600_000;

export const KIND_LABELS: Record<MailKind, string> = {
  INVITATION: "Invitation",
  SESSION_REMINDER: "Session reminder",
  SESSION_CHANGED: "Session changed",
  SESSION_CANCELLED: "Session cancelled or postponed",
  WEEKLY_DIGEST: "Weekly summary",
};
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = { QUEUED: "Waiting to be sent", SENT: "Sent", SKIPPED: "Not sent", FAILED: "Failed" };

// ---- trigger points (called inside the change's own transaction) ----

/** An invitation e-mail with its link; the link's token is kept only until it is sent. */
export async function queueInvitation(
  tx: Tx,
  i: { practiceId: string; userId: string; token: string; expiresAt: Date; role: string },
): Promise<void> {
  await queueMail(tx, [
    { practiceId: i.practiceId, userId: i.userId, kind: "INVITATION", params: { token: i.token, expiresAt: i.expiresAt.toISOString(), role: i.role } },
  ]);
}

async function assignedExcept(tx: Tx, practiceId: string, sessionId: string, actorId: string): Promise<string[]> {
  const rows = await tx.sessionFacilitator.findMany({ where: { practiceId, sessionId, userId: { not: actorId } }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

/** What changed, in words, between a session before and after an edit (only what a facilitator plans around). */
export function changedParts(
  before: { title: string; startsAt: Date; endsAt: Date; online: boolean; venueName: string; venueAddress: string },
  after: { title: string; startsAt: Date; endsAt: Date; online: boolean; venueName: string; venueAddress: string },
): string[] {
  const parts: string[] = [];
  if (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime()) parts.push("time");
  if (before.online !== after.online || before.venueName !== after.venueName || before.venueAddress !== after.venueAddress) parts.push("place");
  if (before.title !== after.title) parts.push("title");
  return parts;
}

/**
 * After an edit: the facilitators now assigned (but the person who made the
 * change) hear about it, when the session is planned and its time, place or
 * title changed.
 */
export async function queueSessionChanged(tx: Tx, s: { practiceId: string; actorId: string; sessionId: string; status: SessionStatus; changed: string[] }) {
  if (s.changed.length === 0 || !["SCHEDULED", "POSTPONED"].includes(s.status)) return;
  const users = await assignedExcept(tx, s.practiceId, s.sessionId, s.actorId);
  await queueMail(
    tx,
    users.map((userId) => ({ practiceId: s.practiceId, userId, kind: "SESSION_CHANGED", params: { sessionId: s.sessionId, changed: s.changed.join(", ") } })),
  );
}

/**
 * After an edit: the facilitators it took off a planned session (but the
 * person who made the change) are told they are no longer assigned. A change
 * notice, like a cancellation: sent whatever their reminder choice.
 */
export async function queueSessionUnassigned(tx: Tx, s: { practiceId: string; actorId: string; sessionId: string; status: SessionStatus; removedIds: string[] }) {
  if (!["SCHEDULED", "POSTPONED"].includes(s.status)) return;
  const users = [...new Set(s.removedIds)].filter((id) => id !== s.actorId);
  await queueMail(
    tx,
    users.map((userId) => ({ practiceId: s.practiceId, userId, kind: "SESSION_CHANGED", params: { sessionId: s.sessionId, removed: "yes" } })),
  );
}

/** After a status change to cancelled or postponed: the assigned facilitators but the actor. */
export async function queueSessionStatusNotice(tx: Tx, s: { practiceId: string; actorId: string; sessionId: string; status: SessionStatus }) {
  if (s.status !== "CANCELLED" && s.status !== "POSTPONED") return;
  const users = await assignedExcept(tx, s.practiceId, s.sessionId, s.actorId);
  await queueMail(
    tx,
    users.map((userId) => ({ practiceId: s.practiceId, userId, kind: "SESSION_CANCELLED", params: { sessionId: s.sessionId, status: s.status } })),
  );
}

// ---- scheduled scans (run by the queue's cron jobs; every practice) ----

/**
 * Queues a reminder for every facilitator of every scheduled session starting
 * within two days, once per session, person and start time (a moved session
 * is reminded again). Opted-out people are queued and skipped
 * when sending (the list shows why).
 */
export async function queueDueReminders(prisma: PrismaClient, now = new Date()): Promise<number> {
  const sessions = await prisma.communitySession.findMany({
    where: { status: "SCHEDULED", startsAt: { gt: now, lte: new Date(now.getTime() + REMINDER_LEAD_MS) } },
    select: {
      id: true, practiceId: true, startsAt: true,
      facilitators: { select: { userId: true } },
    },
    take: 5000,
  });
  const requests: MailRequest[] = sessions.flatMap((s) =>
    s.facilitators.map((f) => ({
      practiceId: s.practiceId,
      userId: f.userId,
      kind: "SESSION_REMINDER" as const,
      params: { sessionId: s.id, startsAt: s.startsAt.toISOString() },
      dedupKey: `reminder:${s.id}:${f.userId}:${s.startsAt.toISOString()}`,
    })),
  );
  if (requests.length === 0) return 0;
  return prisma.$transaction((tx) => queueMail(tx, requests));
}

/** The Monday (UK date) of the week `now` falls in, as YYYY-MM-DD: one digest per manager per week. */
export function weekOf(now: Date): string {
  const d = new Date(now.toLocaleString("en-US", { timeZone: "Europe/London" }));
  const monday = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

/** Queues this week's digest for every active manager who has not turned it off. */
export async function queueWeeklyDigests(prisma: PrismaClient, now = new Date()): Promise<number> {
  const managers = await prisma.membership.findMany({
    where: { role: "MANAGER", active: true, acceptedAt: { not: null }, user: { active: true, emailDigest: true } },
    select: { practiceId: true, userId: true },
    take: 20_000,
  });
  const week = weekOf(now);
  const requests: MailRequest[] = managers.map((m) => ({
    practiceId: m.practiceId,
    userId: m.userId,
    kind: "WEEKLY_DIGEST",
    params: { week },
    dedupKey: `digest:${m.practiceId}:${m.userId}:${week}`,
  }));
  if (requests.length === 0) return 0;
  return prisma.$transaction((tx) => queueMail(tx, requests));
}

// ---- what the worker reads and records ----

export async function messageForSending(prisma: PrismaClient, id: string) {
  return prisma.mailMessage.findUnique({
    where: { id },
    select: {
      id: true, practiceId: true, userId: true, kind: true, params: true, status: true, attempts: true,
      practice: { select: { name: true } },
    },
  });
}
export type MessageForSending = NonNullable<Awaited<ReturnType<typeof messageForSending>>>;

/** The recipient, if still a member of the practice: address, preferences, role. */
export async function recipient(prisma: PrismaClient, practiceId: string, userId: string) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, active: true, emailReminders: true, emailDigest: true, memberships: { where: { practiceId }, select: { role: true, active: true } } },
  });
  const m = user?.memberships[0];
  if (!user || !m) return undefined;
  return { email: user.email, active: user.active && m.active, role: m.role, emailReminders: user.emailReminders, emailDigest: user.emailDigest };
}

/** The session facts an e-mail may carry, and who is assigned. */
export async function sessionForMail(prisma: PrismaClient, practiceId: string, id: string) {
  const s = await prisma.communitySession.findFirst({
    where: { id, practiceId },
    select: {
      id: true, title: true, startsAt: true, endsAt: true, online: true, venueName: true, venueAddress: true, status: true, version: true, updatedAt: true,
      group: { select: { name: true } },
      facilitators: { select: { userId: true } },
    },
  });
  if (!s) return undefined;
  const { group, facilitators, ...rest } = s;
  return { facts: { ...rest, groupName: group.name }, facilitatorIds: facilitators.map((f) => f.userId) };
}

/** Is this invitation (by its token's params) still the one that works? */
export async function invitationStillUsable(prisma: PrismaClient, practiceId: string, userId: string, expiresAt: Date): Promise<boolean> {
  const live = await prisma.invitation.count({ where: { practiceId, userId, usedAt: null, expiresAt: { gt: new Date(), equals: expiresAt } } });
  return live > 0;
}

export async function digestCounts(prisma: PrismaClient, practiceId: string, now = new Date()) {
  const [overdueIdeas, awaitingOutcome] = await Promise.all([
    prisma.idea.count({ where: { practiceId, firstResponseAt: null, dueAt: { lt: now } } }),
    prisma.communitySession.count({ where: { practiceId, status: "SCHEDULED", endsAt: { lt: now } } }),
  ]);
  return { overdueIdeas, awaitingOutcome };
}

/** Sent: the address and subject are kept for the list; a token in the params is dropped. */
export async function markSent(prisma: PrismaClient, id: string, sent: { toAddress: string; subject: string }) {
  const row = await prisma.mailMessage.findUnique({ where: { id }, select: { params: true } });
  const { token: _t, ...params } = (row?.params ?? {}) as Record<string, unknown>;
  await prisma.mailMessage.update({
    where: { id },
    data: { status: "SENT", sentAt: new Date(), toAddress: sent.toAddress, subject: sent.subject, attempts: { increment: 1 }, lastError: null, params: params as Prisma.InputJsonValue },
  });
}

/** Not sent on purpose (opted out, no longer assigned, superseded); the reason is kept. */
export async function markSkipped(prisma: PrismaClient, id: string, why: string) {
  const row = await prisma.mailMessage.findUnique({ where: { id }, select: { params: true } });
  const { token: _t, ...params } = (row?.params ?? {}) as Record<string, unknown>;
  await prisma.mailMessage.update({ where: { id }, data: { status: "SKIPPED", lastError: why, params: params as Prisma.InputJsonValue } });
}

/** One attempt failed; after the last one the message is FAILED (and stays listed as such). */
export async function markAttemptFailed(prisma: PrismaClient, id: string, error: string, final: boolean) {
  await prisma.mailMessage.update({
    where: { id },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), ...(final ? { status: "FAILED" as const } : {}) },
  });
}

// ---- the people's side ----

export async function emailPreferences(prisma: PrismaClient, userId: string) {
  const u = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { emailReminders: true, emailDigest: true } });
  return u;
}

export async function setEmailPreferences(prisma: PrismaClient, practiceId: string, userId: string, prefs: { emailReminders: boolean; emailDigest: boolean }) {
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: prefs });
    await recordAudit(tx, { practiceId, actorId: userId, action: "user.email-preferences", entityType: "User", entityId: userId, details: prefs });
  });
}

export const OUTBOX_PAGE_SIZE = 25;

/** One page of this practice's e-mails (OUTBOX_PAGE_SIZE a page) and how many there are in all: /outbox and /emails/failed. */
async function mailPage<S extends Prisma.MailMessageSelect>(
  prisma: PrismaClient, where: Prisma.MailMessageWhereInput, orderBy: Prisma.MailMessageOrderByWithRelationInput[], select: S, page: number,
) {
  const [total, messages] = await Promise.all([
    prisma.mailMessage.count({ where }),
    prisma.mailMessage.findMany({ where, orderBy, skip: (page - 1) * OUTBOX_PAGE_SIZE, take: OUTBOX_PAGE_SIZE, select }),
  ]);
  return { total, messages: messages as Prisma.MailMessageGetPayload<{ select: S }>[] };
}

/** This practice's e-mails, newest first (failed ones included), for /outbox. */
export async function outboxPage(prisma: PrismaClient, practiceId: string, page: number) {
  return mailPage(prisma, { practiceId }, [{ createdAt: "desc" }, { id: "desc" }],
    { id: true, kind: true, status: true, toAddress: true, subject: true, attempts: true, lastError: true, createdAt: true, sentAt: true }, page);
}

export async function outboxMessage(prisma: PrismaClient, practiceId: string, id: string) {
  return prisma.mailMessage.findFirst({
    where: { id, practiceId },
    select: { id: true, kind: true, status: true, toAddress: true, subject: true, attempts: true, lastError: true, createdAt: true, sentAt: true },
  });
}

/** E-mails of this practice that every attempt failed to send (works in production, unlike /outbox). */
export async function failedPage(prisma: PrismaClient, practiceId: string, page: number) {
  const { total, messages } = await mailPage(prisma, { practiceId, status: "FAILED" }, [{ updatedAt: "desc" }, { id: "desc" }],
    { id: true, kind: true, userId: true, attempts: true, lastError: true, createdAt: true, updatedAt: true }, page);
  // The recipient as the practice knows them (the invited name until they accept), not the address.
  const members = await prisma.membership.findMany({
    where: { practiceId, userId: { in: [...new Set(messages.map((m) => m.userId))] } },
    select: { userId: true, acceptedAt: true, invitedName: true, user: { select: { name: true } } },
  });
  const names = new Map(members.map((m) => [m.userId, m.acceptedAt ? m.user.name : (m.invitedName ?? m.user.name)]));
  return { total, messages: messages.map((m) => ({ ...m, recipient: names.get(m.userId) ?? "A former member" })) };
}

/** Puts a failed e-mail back on the queue (attempts start again). False: no such failed e-mail in this practice. */
export async function retryFailed(prisma: PrismaClient, practiceId: string, actorId: string, id: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.mailMessage.updateMany({ where: { id, practiceId, status: "FAILED" }, data: { status: "QUEUED", attempts: 0, lastError: null } });
    if (count !== 1) return false;
    await queueSendJobs(tx, [id]);
    await recordAudit(tx, { practiceId, actorId, action: "mail.retry", entityType: "MailMessage", entityId: id });
    return true;
  });
}
