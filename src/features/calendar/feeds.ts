// Private calendar feeds: one URL per staff member (and, for managers, one for
// the whole practice) that a calendar app subscribes to. The token is 256
// random bits; only its SHA-256 is stored, so the table cannot be replayed
// into URLs. Rotating replaces the hash and revoking deletes the row, so the
// old URL answers 404 from the next request on, on every process.
import crypto from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { CalendarFeedScope, Role } from "../../generated/prisma/enums.js";
import { feedSessionWhere } from "../../lib/visibility.js";
import { recordAudit } from "../audit/service.js";

export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** A feed holds sessions from this many days ago onwards (and every future one, up to FEED_LIMIT). */
export const FEED_PAST_DAYS = 90;
export const FEED_LIMIT = 1000;

export function hashFeedToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Which feeds a role may hold: everyone their assigned sessions; managers the whole practice too. */
export function feedScopesFor(role: Role): CalendarFeedScope[] {
  return role === "MANAGER" ? ["ASSIGNED", "PRACTICE"] : ["ASSIGNED"];
}

export async function feedsOf(prisma: PrismaClient, practiceId: string, userId: string) {
  return prisma.calendarFeed.findMany({ where: { practiceId, userId }, select: { scope: true, createdAt: true, updatedAt: true } });
}

/** Makes the feed, or gives it a new token (the old URL stops at once). Returns the new token: shown once, never stored. */
export async function issueFeedToken(prisma: PrismaClient, practiceId: string, userId: string, scope: CalendarFeedScope): Promise<{ token: string; rotated: boolean }> {
  const token = crypto.randomBytes(32).toString("base64url");
  const tokenHash = hashFeedToken(token);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.calendarFeed.findUnique({ where: { practiceId_userId_scope: { practiceId, userId, scope } }, select: { id: true } });
    if (existing) await tx.calendarFeed.update({ where: { id: existing.id }, data: { tokenHash } });
    else await tx.calendarFeed.create({ data: { practiceId, userId, scope, tokenHash } });
    await recordAudit(tx, {
      practiceId, actorId: userId, action: existing ? "calendar-feed.rotate" : "calendar-feed.create", entityType: "CalendarFeed", entityId: userId, details: { scope },
    });
    return { token, rotated: Boolean(existing) };
  });
}

export async function revokeFeed(prisma: PrismaClient, practiceId: string, userId: string, scope: CalendarFeedScope): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.calendarFeed.deleteMany({ where: { practiceId, userId, scope } });
    if (count) await recordAudit(tx, { practiceId, actorId: userId, action: "calendar-feed.revoke", entityType: "CalendarFeed", entityId: userId, details: { scope } });
    return count > 0;
  });
}

/**
 * The feed a token opens, with the sessions in it; undefined (a 404) for an
 * unknown, rotated or revoked token, or once its holder no longer works in
 * the practice. Reads the holder's role now, so a manager who became a
 * facilitator stops getting the whole practice at once.
 */
export async function openFeed(prisma: PrismaClient, token: string, now = new Date()) {
  if (!FEED_TOKEN.test(token)) return undefined;
  const feed = await prisma.calendarFeed.findUnique({
    where: { tokenHash: hashFeedToken(token) },
    select: { practiceId: true, userId: true, scope: true, practice: { select: { name: true } } },
  });
  if (!feed) return undefined;
  const membership = await prisma.membership.findFirst({
    where: { practiceId: feed.practiceId, userId: feed.userId, active: true, acceptedAt: { not: null }, user: { active: true } },
    select: { role: true },
  });
  if (!membership) return undefined;
  if (feed.scope === "PRACTICE" && membership.role !== "MANAGER") return undefined;
  const sessions = await prisma.communitySession.findMany({
    where: { ...feedSessionWhere(feed, membership.role), endsAt: { gte: new Date(now.getTime() - FEED_PAST_DAYS * 864e5) } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: FEED_LIMIT,
    select: {
      id: true, title: true, startsAt: true, endsAt: true, status: true, version: true, online: true, venueName: true, venueAddress: true, updatedAt: true,
      group: { select: { name: true } },
    },
  });
  const calName = feed.scope === "PRACTICE" ? `${feed.practice.name}: all sessions` : `${feed.practice.name}: my sessions`;
  return { calName, sessions };
}
