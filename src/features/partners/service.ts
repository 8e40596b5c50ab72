// Partner organisations: the charities and community organisations that hold
// the relationship with a group. Archived, never deleted (groups and sessions refer to them).
import type { PrismaClient } from "../../generated/prisma/client.js";
import { NotFoundError } from "../../lib/errors.js";
import { isUuid } from "../../lib/routing.js";
import { recordAudit } from "../audit/service.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import type { PartnerInput } from "./schemas.js";
import { listQuery, setArchived, updateWithAudit, type ListOptions } from "../archivable/service.js";

export async function listPartners(prisma: PrismaClient, practiceId: string, opts: ListOptions) {
  const query = listQuery(practiceId, opts);
  const [total, partners] = await Promise.all([
    prisma.partnerOrganisation.count({ where: query.where }),
    prisma.partnerOrganisation.findMany({ ...query, include: { _count: { select: { groups: true, sessions: true } } } }),
  ]);
  return { total, partners };
}

export async function getPartner(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const partner = await prisma.partnerOrganisation.findFirst({ where: { id, practiceId } });
  if (!partner) throw new NotFoundError();
  return partner;
}

/** Active partners for a select list (plus one archived partner a record still uses). */
export async function partnerChoices(prisma: PrismaClient, practiceId: string, includeId?: string | null) {
  return prisma.partnerOrganisation.findMany({
    where: { practiceId, OR: [{ archivedAt: null }, ...(includeId && isUuid(includeId) ? [{ id: includeId }] : [])] },
    orderBy: { name: "asc" },
    select: { id: true, name: true, archivedAt: true },
    take: 500,
  });
}

export async function createPartner(prisma: PrismaClient, practiceId: string, actorId: string, input: PartnerInput, formId?: string) {
  return prisma.$transaction(async (tx) => {
    const existing = await alreadyCreated(tx, practiceId, "partner.create", formId);
    if (existing) return { id: existing, duplicate: true };
    const partner = await tx.partnerOrganisation.create({ data: { practiceId, ...input } });
    await rememberCreated(tx, practiceId, "partner.create", formId, partner.id);
    await recordAudit(tx, { practiceId, actorId, action: "partner.create", entityType: "PartnerOrganisation", entityId: partner.id, details: { formId: formId ?? null, name: input.name } });
    return { id: partner.id, duplicate: false };
  });
}

export async function updatePartner(prisma: PrismaClient, practiceId: string, actorId: string, id: string, input: PartnerInput) {
  await updateWithAudit(prisma, "partner", practiceId, actorId, id, input);
}

export async function setPartnerArchived(prisma: PrismaClient, practiceId: string, actorId: string, id: string, archived: boolean) {
  await setArchived(prisma, "partner", practiceId, actorId, id, archived);
}
