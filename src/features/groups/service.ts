// Community groups: who they are, what suits them, and the private link to
// their own board (/g/:token). Archived, never deleted.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { NotFoundError } from "../../lib/errors.js";
import { isUuid } from "../../lib/routing.js";
import { redactIdentifyingDetails, type IdentifyingKind } from "../../lib/identifying-details.js";
import { invalid, ok, type Result } from "../../lib/result.js";
import type { Tx } from "../../db/client.js";
import { recordAudit } from "../audit/service.js";
import { newLinkToken } from "../practices/service.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import type { GroupInput } from "./schemas.js";
import { listQuery, setArchived, updateWithAuditIn, type ListOptions } from "../archivable/service.js";

export async function listGroups(prisma: PrismaClient, practiceId: string, opts: ListOptions) {
  const query = listQuery(practiceId, opts);
  const [total, groups] = await Promise.all([
    prisma.communityGroup.count({ where: query.where }),
    prisma.communityGroup.findMany({
      ...query,
      select: { id: true, name: true, languages: true, archivedAt: true, partner: { select: { name: true } }, _count: { select: { sessions: true } } },
    }),
  ]);
  return { total, groups };
}

export async function getGroup(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const group = await prisma.communityGroup.findFirst({ where: { id, practiceId }, include: { partner: { select: { id: true, name: true } } } });
  if (!group) throw new NotFoundError();
  return group;
}

/** Field-level problems a schema cannot see: the partner must be one of this practice's. */
export async function checkPartner(prisma: PrismaClient, practiceId: string, partnerId: string | undefined, allowArchivedId?: string | null): Promise<Result<object, "invalid">> {
  if (!partnerId) return ok();
  const p = await prisma.partnerOrganisation.findFirst({ where: { id: partnerId, practiceId }, select: { id: true, archivedAt: true } });
  if (!p) return invalid({ partnerId: "Select a partner organisation from the list" });
  if (p.archivedAt && p.id !== allowArchivedId) return invalid({ partnerId: "That partner organisation is archived: restore it first or choose another" });
  return ok();
}

function data(input: GroupInput) {
  return { ...input, partnerId: input.partnerId ?? null };
}

/** Identifying details the manager confirmed in the name (lib/text-check.ts): audited in the save's transaction. */
interface Confirmed {
  confirmedKinds?: IdentifyingKind[];
}

async function auditConfirmed(tx: Tx, practiceId: string, actorId: string, groupId: string, { confirmedKinds }: Confirmed) {
  if (!confirmedKinds) return;
  await recordAudit(tx, { practiceId, actorId, action: "group.identifying-details-confirmed", entityType: "CommunityGroup", entityId: groupId, details: { kinds: confirmedKinds } });
}

export async function createGroup(prisma: PrismaClient, practiceId: string, actorId: string, input: GroupInput, formId?: string, confirmed: Confirmed = {}) {
  return prisma.$transaction(async (tx) => {
    const existing = await alreadyCreated(tx, practiceId, "group.create", formId);
    if (existing) return { id: existing, duplicate: true };
    const group = await tx.communityGroup.create({ data: { practiceId, ...data(input), linkToken: newLinkToken() } });
    await rememberCreated(tx, practiceId, "group.create", formId, group.id);
    await recordAudit(tx, { practiceId, actorId, action: "group.create", entityType: "CommunityGroup", entityId: group.id, details: { formId: formId ?? null, name: input.name } });
    await auditConfirmed(tx, practiceId, actorId, group.id, confirmed);
    return { id: group.id, duplicate: false };
  });
}

export async function updateGroup(prisma: PrismaClient, practiceId: string, actorId: string, id: string, input: GroupInput, confirmed: Confirmed = {}) {
  await prisma.$transaction(async (tx) => {
    // Identifying details a change took out are not kept in the audit log's "previous".
    await updateWithAuditIn(tx, "group", practiceId, actorId, id, data(input), (v) => (typeof v === "string" ? redactIdentifyingDetails(v) : v));
    await auditConfirmed(tx, practiceId, actorId, id, confirmed);
  });
}

export async function setGroupArchived(prisma: PrismaClient, practiceId: string, actorId: string, id: string, archived: boolean) {
  await setArchived(prisma, "group", practiceId, actorId, id, archived);
}

/** A new private link; the old one stops working at once (the token is the only key). The audit log never holds a token. */
export async function rotateGroupLink(prisma: PrismaClient, practiceId: string, actorId: string, id: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.communityGroup.findFirst({ where: { id, practiceId }, select: { id: true } });
    if (!before) throw new NotFoundError();
    const linkToken = newLinkToken();
    await tx.communityGroup.update({ where: { id }, data: { linkToken } });
    await recordAudit(tx, { practiceId, actorId, action: "group.rotate-link", entityType: "CommunityGroup", entityId: id });
    return linkToken;
  });
}

/** How many sessions and ideas the group page shows; the rest are one link away. */
export const GROUP_PAGE_ITEMS = 10;

/**
 * The group page: its next sessions, its latest past ones and its newest
 * ideas, with totals for the "see all" links. Five statements whatever the
 * group's size.
 */
export async function groupOverview(prisma: PrismaClient, practiceId: string, groupId: string, now = new Date()) {
  const sessionSelect = { id: true, title: true, startsAt: true, status: true, online: true, venueName: true } as const;
  const [upcoming, past, sessionCount, ideas, ideaCount] = await Promise.all([
    prisma.communitySession.findMany({ where: { practiceId, groupId, startsAt: { gte: now } }, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: GROUP_PAGE_ITEMS, select: sessionSelect }),
    prisma.communitySession.findMany({ where: { practiceId, groupId, startsAt: { lt: now } }, orderBy: [{ startsAt: "desc" }, { id: "asc" }], take: GROUP_PAGE_ITEMS, select: sessionSelect }),
    prisma.communitySession.count({ where: { practiceId, groupId } }),
    prisma.idea.findMany({
      where: { practiceId, groupId },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: GROUP_PAGE_ITEMS,
      select: { id: true, text: true, status: true, consent: true, createdAt: true, publishedAt: true, theme: { select: { name: true } } },
    }),
    prisma.idea.count({ where: { practiceId, groupId } }),
  ]);
  return { upcoming, past, sessionCount, ideas, ideaCount };
}
