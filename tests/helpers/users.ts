// Helpers for the users and accounts tests.
import crypto from "node:crypto";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { hashToken } from "../../src/features/users/service.js";

/** The text of the error summary's links, in order. */
export function summaryErrors(html: string): string[] {
  const summary = html.match(/<ul class="nhsuk-list nhsuk-error-summary__list">[\s\S]*?<\/ul>/)?.[0] ?? "";
  return [...summary.matchAll(/<a href="#[^"]*">([^<]+)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
}

/** The invitation link shown once on a user's page, if any. */
export function invitationLinkIn(html: string): string | undefined {
  return html.match(/<p class="app-invitation-link">([^<]+)<\/p>/)?.[1];
}

/** The main content of a page, without the per-request CSRF token. */
export function mainOf(html: string): string {
  return (html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "").replace(/name="_csrf" value="[^"]+"/g, "");
}

/** An invitation row made directly (for expired-link tests), with its token. */
export async function makeInvitation(prisma: PrismaClient, opts: { practiceId: string; email: string; expiresAt?: Date; usedAt?: Date | null }) {
  const token = crypto.randomBytes(32).toString("base64url");
  const user = await prisma.user.create({ data: { email: opts.email, name: `Invited ${opts.email}` } });
  await prisma.membership.create({ data: { practiceId: opts.practiceId, userId: user.id, role: "FACILITATOR" } });
  await prisma.invitation.create({
    data: {
      practiceId: opts.practiceId,
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: opts.expiresAt ?? new Date(Date.now() + 7 * 864e5),
      usedAt: opts.usedAt ?? null,
      setsPassword: true, // the invitation that created the account
    },
  });
  return { token, userId: user.id };
}

/**
 * A fingerprint of every table the app writes, audit, sessions and the sign-in
 * rate-limit counters aside (a wrong current password is meant to count).
 */
export async function databaseFingerprint(c: { prisma: PrismaClient }): Promise<string> {
  const tables = await c.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    `select tablename from pg_tables where schemaname = 'public' and tablename not in ('AuditEvent', 'http_session', '_prisma_migrations', 'login_limit') order by tablename`,
  );
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const [row] = await c.prisma.$queryRawUnsafe<{ h: string | null }[]>(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${tablename}" t`,
    );
    parts.push(`${tablename}:${row?.h}`);
  }
  return parts.join(",");
}
