// Users of a practice: the list, invitations, role changes, deactivation,
// setting and changing passwords, and the practice's audit log. Every function
// takes the practice id first; nothing here reaches another practice's rows.
import crypto from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { hashPassword, verifyPassword } from "../../lib/passwords.js";
import { pageWindow, PAGE_SIZE } from "../../lib/pagination.js";
import { recordAudit } from "../audit/service.js";

export const INVITATION_DAYS = 7;
export const ROLES: Role[] = ["MANAGER", "FACILITATOR", "VIEWER"];

type Tx = Prisma.TransactionClient;

/** A rule of the practice was broken: shown to the manager as a form error on `field`. */
export class UserRuleError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
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

function statusOf(m: { active: boolean; user: { active: boolean; passwordHash: string | null } }): MemberStatus {
  if (!m.active || !m.user.active) return "DEACTIVATED";
  return m.user.passwordHash ? "ACTIVE" : "INVITED";
}

export async function listMembers(prisma: PrismaClient, practiceId: string, page: number) {
  const [total, rows] = await Promise.all([
    prisma.membership.count({ where: { practiceId } }),
    prisma.membership.findMany({
      where: { practiceId },
      orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
      ...pageWindow(page),
      select: { role: true, active: true, user: { select: { id: true, name: true, email: true, active: true, passwordHash: true } } },
    }),
  ]);
  return {
    total,
    members: rows.map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email, role: m.role, status: statusOf(m) })),
  };
}

export async function getMember(prisma: PrismaClient, practiceId: string, userId: string) {
  const m = await prisma.membership.findUnique({
    where: { practiceId_userId: { practiceId, userId } },
    select: {
      role: true,
      active: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, active: true, passwordHash: true } },
    },
  });
  if (!m) return null;
  return { id: m.user.id, name: m.user.name, email: m.user.email, role: m.role, active: m.active, since: m.createdAt, status: statusOf(m) };
}

/** Serialises changes to a practice's managers, so two managers cannot demote each other at once. */
async function lockPractice(tx: Tx, practiceId: string): Promise<void> {
  await tx.$queryRaw`select id from "Practice" where id = ${practiceId}::uuid for update`;
}

async function activeManagerCount(tx: Tx, practiceId: string): Promise<number> {
  return tx.membership.count({ where: { practiceId, role: "MANAGER", active: true, user: { active: true } } });
}

export interface InviteInput {
  name: string;
  email: string;
  role: Role;
  formId?: string;
}

export type InviteResult =
  | { kind: "invited"; userId: string; token: string }
  | { kind: "added-existing"; userId: string }
  | { kind: "duplicate-submit"; userId: string };

/**
 * Adds someone to the practice. A new e-mail address gets a user without a
 * password and a single-use invitation; an address that already belongs to a
 * user (say a facilitator working with another practice) gets a membership of
 * this practice instead, and an invitation only if they have never set a password.
 */
export async function inviteUser(prisma: PrismaClient, practiceId: string, actorId: string, input: InviteInput): Promise<InviteResult> {
  const email = input.email.trim().toLowerCase();
  return prisma.$transaction(async (tx) => {
    if (input.formId) {
      const earlier = await tx.auditEvent.findFirst({
        where: { practiceId, action: "user.invite", details: { path: ["formId"], equals: input.formId } },
        select: { entityId: true },
      });
      if (earlier?.entityId) return { kind: "duplicate-submit", userId: earlier.entityId };
    }
    const existing = await tx.user.findUnique({
      where: { email },
      select: { id: true, passwordHash: true, memberships: { where: { practiceId }, select: { id: true } } },
    });
    if (existing && existing.memberships.length > 0) {
      throw new UserRuleError("email", "This email address already belongs to a user of this practice");
    }
    const user = existing ?? (await tx.user.create({ data: { email, name: input.name }, select: { id: true, passwordHash: true } }));
    await tx.membership.create({ data: { practiceId, userId: user.id, role: input.role } });
    let token: string | undefined;
    if (!user.passwordHash) {
      token = newInvitationToken();
      await tx.invitation.create({
        data: { practiceId, userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_DAYS * 864e5), createdById: actorId },
      });
    }
    await recordAudit(tx, {
      practiceId,
      actorId,
      action: "user.invite",
      entityType: "User",
      entityId: user.id,
      details: { role: input.role, email, existingUser: Boolean(existing), invitation: Boolean(token), formId: input.formId ?? null },
    });
    return token ? { kind: "invited", userId: user.id, token } : { kind: "added-existing", userId: user.id };
  });
}

/** A new link for someone who has not set a password yet; earlier links of this practice stop working. */
export async function reissueInvitation(prisma: PrismaClient, practiceId: string, actorId: string, userId: string): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({
      where: { practiceId_userId: { practiceId, userId } },
      select: { active: true, user: { select: { passwordHash: true, active: true } } },
    });
    if (!m) throw new UserRuleError("form", "not found");
    if (m.user.passwordHash) throw new UserRuleError("invitation", "This person has already set a password, so they do not need an invitation");
    if (!m.active || !m.user.active) throw new UserRuleError("invitation", "Reactivate this user before sending a new invitation");
    const now = new Date();
    await tx.invitation.updateMany({ where: { practiceId, userId, usedAt: null }, data: { usedAt: now } });
    const token = newInvitationToken();
    await tx.invitation.create({
      data: { practiceId, userId, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + INVITATION_DAYS * 864e5), createdById: actorId },
    });
    await recordAudit(tx, { practiceId, actorId, action: "user.invitation-reissue", entityType: "User", entityId: userId });
    return token;
  });
}

export async function changeRole(prisma: PrismaClient, practiceId: string, actorId: string, userId: string, role: Role): Promise<{ changed: boolean }> {
  return prisma.$transaction(async (tx) => {
    await lockPractice(tx, practiceId);
    const m = await tx.membership.findUnique({ where: { practiceId_userId: { practiceId, userId } }, select: { id: true, role: true, active: true } });
    if (!m) throw new UserRuleError("form", "not found");
    if (m.role === role) return { changed: false };
    if (m.role === "MANAGER" && m.active && (await activeManagerCount(tx, practiceId)) <= 1) {
      throw new UserRuleError("role", LAST_MANAGER);
    }
    await tx.membership.update({ where: { id: m.id }, data: { role } });
    await recordAudit(tx, { practiceId, actorId, action: "user.role-change", entityType: "User", entityId: userId, details: { from: m.role, to: role } });
    return { changed: true };
  });
}

export async function setMembershipActive(
  prisma: PrismaClient,
  practiceId: string,
  actorId: string,
  userId: string,
  active: boolean,
): Promise<{ changed: boolean }> {
  return prisma.$transaction(async (tx) => {
    await lockPractice(tx, practiceId);
    const m = await tx.membership.findUnique({ where: { practiceId_userId: { practiceId, userId } }, select: { id: true, role: true, active: true } });
    if (!m) throw new UserRuleError("form", "not found");
    if (m.active === active) return { changed: false };
    if (!active && m.role === "MANAGER" && (await activeManagerCount(tx, practiceId)) <= 1) {
      throw new UserRuleError("status", LAST_MANAGER);
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
    return { changed: true };
  });
}

/** A usable invitation: unknown, expired, used, or for someone who already has a password are all "none". */
export async function findUsableInvitation(prisma: PrismaClient, token: string) {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const inv = await prisma.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!inv || inv.usedAt || inv.expiresAt.getTime() <= Date.now()) return null;
  const user = await prisma.user.findUnique({
    where: { id: inv.userId },
    select: { id: true, name: true, email: true, active: true, passwordHash: true, memberships: { where: { practiceId: inv.practiceId }, select: { active: true, practice: { select: { name: true } } } } },
  });
  const membership = user?.memberships[0];
  if (!user || !user.active || user.passwordHash || !membership?.active) return null;
  return { id: inv.id, practiceId: inv.practiceId, practiceName: membership.practice.name, user: { id: user.id, name: user.name, email: user.email } };
}

/** Sets the first password; the invitation is used up in the same transaction (a second use finds nothing). */
export async function acceptInvitation(prisma: PrismaClient, token: string, password: string): Promise<{ userId: string; practiceId: string } | null> {
  const inv = await findUsableInvitation(prisma, token);
  if (!inv) return null;
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return null;
    const set = await tx.user.updateMany({ where: { id: inv.user.id, passwordHash: null }, data: { passwordHash, passwordChangedAt: now } });
    if (set.count !== 1) throw new UserRuleError("form", "invitation already used"); // rolls back the claim
    await tx.invitation.updateMany({ where: { userId: inv.user.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit(tx, { practiceId: inv.practiceId, actorId: inv.user.id, action: "user.password-set", entityType: "User", entityId: inv.user.id, details: { invitationId: inv.id } });
    return { userId: inv.user.id, practiceId: inv.practiceId };
  });
}

export type PasswordChange = { ok: true } | { ok: false; field: "currentPassword" | "newPassword"; message: string };

export async function changeOwnPassword(
  prisma: PrismaClient,
  practiceId: string,
  userId: string,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<PasswordChange> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user?.passwordHash, input.currentPassword))) {
    return { ok: false, field: "currentPassword", message: "Your current password is not correct" };
  }
  if (input.currentPassword === input.newPassword) {
    return { ok: false, field: "newPassword", message: "Your new password must be different from your current password" };
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
    where: { memberships: { some: { practiceId } } },
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
    ? await prisma.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } })
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
