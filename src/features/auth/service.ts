import type { PrismaClient } from "../../generated/prisma/client.js";
import { verifyPassword } from "../../lib/passwords.js";
import { recordAudit } from "../audit/service.js";
import { refused, type Result } from "../../lib/result.js";

/** One reason for every refusal: the visitor is never told which (the audit log is). */
export type SignInResult = Result<{ userId: string; practiceId: string }, "wrong-details">;

/**
 * Checks e-mail and password. Takes the same time whether or not the account
 * exists (a password is always verified), and records the attempt.
 */
export async function signIn(
  prisma: PrismaClient,
  input: { email: string; password: string; ip?: string },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const user = await prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      active: true,
      passwordHash: true,
      // An invitation not yet accepted gives no access.
      memberships: { where: { active: true, acceptedAt: { not: null } }, select: { practiceId: true }, orderBy: { createdAt: "asc" } },
    },
  });
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  const practiceId = user?.memberships[0]?.practiceId;
  const ok = Boolean(user && user.active && passwordOk && practiceId);
  const reason = !user ? "unknown-email" : !passwordOk ? "wrong-password" : !user.active ? "deactivated" : !practiceId ? "no-practice" : undefined;
  await recordAudit(prisma, {
    practiceId: practiceId ?? null,
    actorId: user?.id ?? null,
    action: ok ? "auth.sign-in" : "auth.sign-in-failed",
    entityType: "User",
    entityId: user?.id ?? null,
    details: ok ? { ip: input.ip ?? null } : { ip: input.ip ?? null, reason: reason ?? null, email: user ? null : email },
  });
  return ok ? { ok: true, userId: user!.id, practiceId: practiceId! } : refused("wrong-details");
}

/**
 * A sign-in refused by the rate limit, recorded against the account's practice
 * when the account exists (so its managers see it is being guessed at). The
 * same single lookup runs either way, and the response does not depend on it.
 */
export async function recordBlockedSignIn(prisma: PrismaClient, input: { email: string; ip: string }): Promise<void> {
  const user = await prisma.user.findUnique({
    where: { email: input.email.trim().toLowerCase() },
    select: { id: true, memberships: { where: { active: true, acceptedAt: { not: null } }, select: { practiceId: true }, orderBy: { createdAt: "asc" }, take: 1 } },
  });
  await recordAudit(prisma, {
    practiceId: user?.memberships[0]?.practiceId ?? null,
    actorId: user?.id ?? null,
    action: "auth.sign-in-blocked",
    entityType: "User",
    entityId: user?.id ?? null,
    details: { ip: input.ip, reason: "too-many-attempts" },
  });
}
