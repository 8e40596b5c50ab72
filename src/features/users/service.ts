// Users of a practice: the list, invitations, role changes, deactivation,
// setting and changing passwords, and the practice's audit log. Every function
// takes the practice id first; nothing here reaches another practice's rows.
import crypto from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { hashPassword, verifyPassword } from "../../lib/passwords.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import { pageWindow, PAGE_SIZE } from "../../lib/pagination.js";
import { queueInvitation } from "../mail/service.js";
import { recordAudit } from "../audit/service.js";
import { invalid, ok, type Result } from "../../lib/result.js";

export const INVITATION_DAYS = 7;
export const ROLES: Role[] = ["MANAGER", "FACILITATOR", "VIEWER"];

type Tx = Prisma.TransactionClient;

/** Thrown inside a transaction only to roll it back; its caller then returns `result` (rolledBack below). Never leaves this module. */
class Rollback extends Error {
  constructor(readonly result: unknown = null) {
    super("rolled back on purpose");
  }
}

function rolledBack<R>(err: unknown): R {
  if (err instanceof Rollback) return err.result as R;
  throw err;
}

export const LAST_MANAGER =
  "This is the only active manager of the practice. Make someone else a manager first, so the practice always has one";

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** 256 bits, URL-safe. Only its sha256 is stored. */
export function newInvitationToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export type MemberStatus = "ACTIVE" | "INVITED" | "DEACTIVATED";

type MembershipFacts = { active: boolean; acceptedAt: Date | null; invitedName: string | null; user: { active: boolean; passwordHash: string | null; name: string } };

function statusOf(m: MembershipFacts): MemberStatus {
  if (!m.active || !m.user.active) return "DEACTIVATED";
  return m.acceptedAt && m.user.passwordHash ? "ACTIVE" : "INVITED";
}

/**
 * The name this practice sees: until the holder accepts, the name the manager
 * typed when inviting, never the account's own name (the address may belong to
 * someone's account in another practice, and that is not this practice's business).
 */
function shownName(m: MembershipFacts): string {
  return m.acceptedAt ? m.user.name : (m.invitedName ?? m.user.name);
}

/** A manager who can actually sign in and act: accepted, active, with a password. */
function isWorkingManager(m: MembershipFacts & { role: Role }): boolean {
  return m.role === "MANAGER" && statusOf(m) === "ACTIVE";
}

const MEMBERSHIP_FACTS = { active: true, acceptedAt: true, invitedName: true } as const;

export async function listMembers(prisma: PrismaClient, practiceId: string, page: number) {
  const [total, rows] = await Promise.all([
    prisma.membership.count({ where: { practiceId } }),
    prisma.membership.findMany({
      where: { practiceId },
      orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
      ...pageWindow(page),
      select: { role: true, ...MEMBERSHIP_FACTS, user: { select: { id: true, name: true, email: true, active: true, passwordHash: true } } },
    }),
  ]);
  return {
    total,
    members: rows.map((m) => ({ id: m.user.id, name: shownName(m), email: m.user.email, role: m.role, status: statusOf(m) })),
  };
}

export async function getMember(prisma: PrismaClient, practiceId: string, userId: string) {
  const m = await prisma.membership.findUnique({
    where: { practiceId_userId: { practiceId, userId } },
    select: {
      role: true,
      ...MEMBERSHIP_FACTS,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, active: true, passwordHash: true } },
    },
  });
  if (!m) return null;
  return { id: m.user.id, name: shownName(m), email: m.user.email, role: m.role, active: m.active, since: m.createdAt, status: statusOf(m) };
}

/** Serialises changes to a practice's managers, so two managers cannot demote each other at once. */
async function lockPractice(tx: Tx, practiceId: string): Promise<void> {
  await tx.$queryRaw`select id from "Practice" where id = ${practiceId}::uuid for update`;
}

/** Managers who can sign in and act: an invited manager who never accepted or never set a password does not count. */
async function activeManagerCount(tx: Tx, practiceId: string): Promise<number> {
  return tx.membership.count({
    where: { practiceId, role: "MANAGER", active: true, acceptedAt: { not: null }, user: { active: true, passwordHash: { not: null } } },
  });
}

async function membershipFacts(tx: Tx, practiceId: string, userId: string) {
  return tx.membership.findUnique({
    where: { practiceId_userId: { practiceId, userId } },
    select: { id: true, role: true, ...MEMBERSHIP_FACTS, user: { select: { active: true, passwordHash: true, name: true } } },
  });
}

export interface InviteInput {
  name: string;
  email: string;
  role: Role;
  formId?: string;
}

export type InviteResult = Result<{ kind: "invited"; userId: string; token: string } | { kind: "duplicate-submit"; userId: string }, "invalid">;

/**
 * Invites someone to the practice: a membership that gives no access until the
 * holder accepts it, and a single-use link. The manager gets the same reply
 * whether or not the address already has an account (in this service, through
 * another practice), and never learns that account's name.
 *
 * - A new address gets an account without a password; this invitation is the
 *   one link that may set its first password (`setsPassword`).
 * - An existing account (with or without a password) is never handed to
 *   another practice's manager: its link can only be accepted by someone
 *   signed in as that account. Someone who has not set a password yet does so
 *   through the practice that created the account, then accepts this one.
 */
export async function inviteUser(prisma: PrismaClient, practiceId: string, actorId: string, input: InviteInput): Promise<InviteResult> {
  const email = input.email.trim().toLowerCase();
  return prisma.$transaction(async (tx) => {
    const earlier = await alreadyCreated(tx, practiceId, "user.invite", input.formId);
    if (earlier) return ok({ kind: "duplicate-submit" as const, userId: earlier });
    const existing = await tx.user.findUnique({
      where: { email },
      select: { id: true, memberships: { where: { practiceId }, select: { id: true } } },
    });
    if (existing && existing.memberships.length > 0) {
      // Refused after the form's key was claimed: roll the claim back with it.
      throw new Rollback(invalid({ email: "This email address already belongs to a user of this practice" }));
    }
    const user = existing ?? (await tx.user.create({ data: { email, name: input.name }, select: { id: true } }));
    await tx.membership.create({ data: { practiceId, userId: user.id, role: input.role, invitedName: input.name, acceptedAt: null } });
    const token = newInvitationToken();
    const invitation = await tx.invitation.create({
      data: {
        practiceId, userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_DAYS * 864e5), createdById: actorId,
        setsPassword: !existing,
      },
    });
    await queueInvitation(tx, { practiceId, userId: user.id, token, expiresAt: invitation.expiresAt, role: input.role });
    await rememberCreated(tx, practiceId, "user.invite", input.formId, user.id);
    // Nothing here says whether the account existed: this practice's managers read this log.
    await recordAudit(tx, { practiceId, actorId, action: "user.invite", entityType: "User", entityId: user.id, details: { role: input.role, email, formId: input.formId ?? null } });
    return ok({ kind: "invited" as const, userId: user.id, token });
  }).catch((err) => rolledBack<InviteResult>(err));
}

/** A new link for someone who has not accepted yet; earlier links of this practice stop working. */
export async function reissueInvitation(prisma: PrismaClient, practiceId: string, actorId: string, userId: string): Promise<Result<{ token: string }, "invalid">> {
  return prisma.$transaction(async (tx) => {
    const m = await membershipFacts(tx, practiceId, userId);
    if (!m) return invalid({ form: "not found" });
    if (m.acceptedAt) return invalid({ invitation: "This person has already accepted and set a password, so they do not need an invitation" });
    if (!m.active || !m.user.active) return invalid({ invitation: "Reactivate this user before sending a new invitation" });
    const now = new Date();
    // Only the practice that created the account hands out links that set its first password.
    const created = await tx.invitation.findFirst({ where: { practiceId, userId, setsPassword: true }, select: { id: true } });
    await tx.invitation.updateMany({ where: { practiceId, userId, usedAt: null }, data: { usedAt: now } });
    const token = newInvitationToken();
    const invitation = await tx.invitation.create({
      data: {
        practiceId, userId, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + INVITATION_DAYS * 864e5), createdById: actorId,
        setsPassword: Boolean(created) && !m.user.passwordHash,
      },
    });
    await queueInvitation(tx, { practiceId, userId, token, expiresAt: invitation.expiresAt, role: m.role });
    await recordAudit(tx, { practiceId, actorId, action: "user.invitation-reissue", entityType: "User", entityId: userId });
    return ok({ token });
  });
}

export async function changeRole(prisma: PrismaClient, practiceId: string, actorId: string, userId: string, role: Role): Promise<Result<{ changed: boolean }, "invalid">> {
  return prisma.$transaction(async (tx) => {
    await lockPractice(tx, practiceId);
    const m = await membershipFacts(tx, practiceId, userId);
    if (!m) return invalid({ form: "not found" });
    if (m.role === role) return ok({ changed: false });
    if (isWorkingManager(m) && (await activeManagerCount(tx, practiceId)) <= 1) {
      return invalid({ role: LAST_MANAGER });
    }
    await tx.membership.update({ where: { id: m.id }, data: { role } });
    await recordAudit(tx, { practiceId, actorId, action: "user.role-change", entityType: "User", entityId: userId, details: { from: m.role, to: role } });
    return ok({ changed: true });
  });
}

export async function setMembershipActive(
  prisma: PrismaClient,
  practiceId: string,
  actorId: string,
  userId: string,
  active: boolean,
): Promise<Result<{ changed: boolean }, "invalid">> {
  return prisma.$transaction(async (tx) => {
    await lockPractice(tx, practiceId);
    const m = await membershipFacts(tx, practiceId, userId);
    if (!m) return invalid({ form: "not found" });
    if (m.active === active) return ok({ changed: false });
    if (!active && isWorkingManager(m) && (await activeManagerCount(tx, practiceId)) <= 1) {
      return invalid({ status: LAST_MANAGER });
    }
    await tx.membership.update({ where: { id: m.id }, data: { active } });
    await recordAudit(tx, {
      practiceId,
      actorId,
      action: active ? "user.reactivate" : "user.deactivate",
      entityType: "User",
      entityId: userId,
      details: { role: m.role, previouslyActive: m.active },
    });
    return ok({ changed: true });
  });
}

export interface UsableInvitation {
  id: string;
  practiceId: string;
  practiceName: string;
  role: Role;
  /** This link sets the account's first password (the account is new, made by this practice's invitation). */
  setsPassword: boolean;
  /** The account it was sent to: its id, the address the manager typed, and the name the manager typed. */
  user: { id: string; name: string; email: string };
}

/** A usable invitation: unknown, expired, used, already accepted, or for a deactivated account or membership are all "none". */
export async function findUsableInvitation(prisma: PrismaClient | Tx, token: string): Promise<UsableInvitation | null> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const inv = await prisma.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!inv || inv.usedAt || inv.expiresAt.getTime() <= Date.now()) return null;
  const user = await prisma.user.findUnique({
    where: { id: inv.userId },
    select: {
      id: true, name: true, email: true, active: true, passwordHash: true,
      memberships: { where: { practiceId: inv.practiceId }, select: { role: true, ...MEMBERSHIP_FACTS, practice: { select: { name: true } } } },
    },
  });
  const membership = user?.memberships[0];
  if (!user || !user.active || !membership?.active || membership.acceptedAt) return null;
  return {
    id: inv.id,
    practiceId: inv.practiceId,
    practiceName: membership.practice.name,
    role: membership.role,
    setsPassword: inv.setsPassword && !user.passwordHash,
    user: { id: user.id, name: membership.invitedName ?? user.name, email: user.email },
  };
}

/** Uses up the invitation and accepts its own membership, nothing else; this practice's other links for the account stop working. */
async function claimAndAccept(tx: Tx, inv: UsableInvitation, now: Date): Promise<boolean> {
  const claimed = await tx.invitation.updateMany({ where: { id: inv.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (claimed.count !== 1) return false;
  const accepted = await tx.membership.updateMany({
    where: { practiceId: inv.practiceId, userId: inv.user.id, active: true, acceptedAt: null },
    data: { acceptedAt: now },
  });
  if (accepted.count !== 1) throw new Rollback(); // already accepted: rolls back the claim
  await tx.invitation.updateMany({ where: { practiceId: inv.practiceId, userId: inv.user.id, usedAt: null }, data: { usedAt: now } });
  return true;
}

/**
 * Sets the first password of an account this practice's invitation created,
 * and accepts that invitation's membership only: invitations from other
 * practices stay waiting, to be accepted once signed in.
 */
export async function acceptInvitation(prisma: PrismaClient, token: string, password: string): Promise<{ userId: string; practiceId: string } | null> {
  const inv = await findUsableInvitation(prisma, token);
  if (!inv || !inv.setsPassword) return null;
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    if (!(await claimAndAccept(tx, inv, now))) return null;
    const set = await tx.user.updateMany({ where: { id: inv.user.id, passwordHash: null }, data: { passwordHash, passwordChangedAt: now } });
    if (set.count !== 1) throw new Rollback(); // already used: rolls back the claim
    await recordAudit(tx, { practiceId: inv.practiceId, actorId: inv.user.id, action: "user.password-set", entityType: "User", entityId: inv.user.id, details: { invitationId: inv.id } });
    return { userId: inv.user.id, practiceId: inv.practiceId };
  }).catch((err) => rolledBack<null>(err)); // rolled back: no usable invitation
}

/** The holder of the account, signed in, agrees to join the practice that invited them. */
export async function joinPractice(prisma: PrismaClient, token: string, userId: string): Promise<{ practiceId: string } | null> {
  return prisma.$transaction(async (tx) => {
    const inv = await findUsableInvitation(tx, token);
    if (!inv || inv.user.id !== userId) return null;
    if (!(await claimAndAccept(tx, inv, new Date()))) return null;
    await recordAudit(tx, { practiceId: inv.practiceId, actorId: userId, action: "user.invitation-accept", entityType: "User", entityId: userId, details: { invitationId: inv.id, role: inv.role } });
    return { practiceId: inv.practiceId };
  }).catch((err) => rolledBack<null>(err)); // rolled back: no usable invitation
}

export type PasswordChange = Result<object, "invalid">;

export async function changeOwnPassword(
  prisma: PrismaClient,
  practiceId: string,
  userId: string,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<PasswordChange> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user?.passwordHash, input.currentPassword))) {
    return invalid({ currentPassword: "Your current password is not correct" });
  }
  if (input.currentPassword === input.newPassword) {
    return invalid({ newPassword: "Your new password must be different from your current password" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    // Other sessions of this user (another browser, a stolen cookie) end now.
    await tx.$executeRaw`delete from http_session where sess->>'userId' = ${userId} and sid <> ${input.keepSessionId}`;
    await recordAudit(tx, { practiceId, actorId: userId, action: "user.password-change", entityType: "User", entityId: userId });
  });
  return { ok: true };
}

/** The practice's audit log, newest first: two queries for the page, one for the names in it. */
export interface AuditFilters {
  /** One kind of event ("user.role-change"). */
  action?: string;
  /** Events done by one person. */
  actorId?: string;
}

/** The people who can appear as "who" in a practice's log: everyone who has been a member, by name. */
export async function auditActors(prisma: PrismaClient, practiceId: string) {
  return prisma.user.findMany({
    where: { memberships: { some: { practiceId, acceptedAt: { not: null } } } },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export async function auditPage(prisma: PrismaClient, practiceId: string, page: number, filters: AuditFilters = {}) {
  const where: Prisma.AuditEventWhereInput = {
    practiceId,
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actorId ? { actorId: filters.actorId } : {}),
  };
  const [total, events] = await Promise.all([
    prisma.auditEvent.count({ where }),
    prisma.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page) }),
  ]);
  const userIds = new Set<string>();
  for (const e of events) {
    if (e.actorId) userIds.add(e.actorId);
    if (e.entityType === "User" && e.entityId) userIds.add(e.entityId);
  }
  const users = userIds.size
    ? await prisma.user.findMany({
        // An account's own name only once its holder has joined this practice.
        where: { id: { in: [...userIds] }, memberships: { some: { practiceId, acceptedAt: { not: null } } } },
        select: { id: true, name: true },
      })
    : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  return {
    total,
    pageSize: PAGE_SIZE,
    events: events.map((e) => ({
      id: String(e.id),
      at: e.createdAt,
      action: e.action,
      actor: e.actorId ? (names.get(e.actorId) ?? "Unknown user") : "System",
      record: e.entityType === "User" && e.entityId && names.has(e.entityId) ? `User: ${names.get(e.entityId)}` : `${e.entityType}${e.entityId ? ` ${e.entityId}` : ""}`,
      details: detailsList(e.details),
      // For the sentences of the audit page (features/audit/describe.ts).
      entityType: e.entityType,
      entityId: e.entityId,
      rawDetails: e.details,
      recordName: e.entityType === "User" && e.entityId ? names.get(e.entityId) : undefined,
    })),
  };
}

function detailsList(details: Prisma.JsonValue): { key: string; value: string }[] {
  if (!details || typeof details !== "object" || Array.isArray(details)) return [];
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }));
}
