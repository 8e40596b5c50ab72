// Records that are archived, never deleted (community groups and partner
// organisations: sessions and ideas refer to them). What the two have in
// common: the current/archived list, and archiving or restoring with its
// audit event. What differs stays in each feature (their fields, their forms,
// a group's private link).
import { z } from "zod";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { NotFoundError } from "../../lib/errors.js";
import type { Tx } from "../../db/client.js";
import { recordAudit } from "../audit/service.js";

export const archiveSchema = z.object({
  action: z.enum(["archive", "unarchive"], { errorMap: () => ({ message: "Choose whether to archive or restore" }) }),
});

export interface ListOptions {
  skip: number;
  take: number;
  archived: boolean;
}

/** The where clause and order of one page of a list: current records, or archived ones, by name. */
export function listQuery(practiceId: string, opts: ListOptions) {
  return {
    where: { practiceId, archivedAt: opts.archived ? { not: null } : null },
    orderBy: [{ name: "asc" as const }, { id: "asc" as const }],
    skip: opts.skip,
    take: opts.take,
  };
}

/** The kinds of record that are archived, never deleted: their Prisma model, audit action prefix and entity type. */
export const ARCHIVABLE = {
  group: { model: "communityGroup", entityType: "CommunityGroup" },
  partner: { model: "partnerOrganisation", entityType: "PartnerOrganisation" },
} as const;

/** What setArchived and updateWithAudit need of a model (both models have it; their own types differ in everything else). */
interface ArchivableDelegate {
  findFirst(args: { where: { id: string; practiceId: string } }): Promise<({ archivedAt: Date | null } & Record<string, unknown>) | null>;
  update(args: { where: { id: string }; data: Record<string, unknown> }): Promise<unknown>;
}

/**
 * Updates a record of the practice and audits `<kind>.update` with the
 * previous value of each field written; `previousValue` may hide part of one
 * (a group keeps no identifying details that a change took out).
 */
export async function updateWithAudit(
  prisma: PrismaClient, kind: keyof typeof ARCHIVABLE, practiceId: string, actorId: string, id: string,
  data: Record<string, unknown>, previousValue: (value: unknown) => unknown = (value) => value,
): Promise<void> {
  await prisma.$transaction((tx) => updateWithAuditIn(tx, kind, practiceId, actorId, id, data, previousValue));
}

/** updateWithAudit as a building block: in the caller's transaction, with the caller's other writes. */
export async function updateWithAuditIn(
  tx: Tx, kind: keyof typeof ARCHIVABLE, practiceId: string, actorId: string, id: string,
  data: Record<string, unknown>, previousValue: (value: unknown) => unknown = (value) => value,
): Promise<void> {
  const { model, entityType } = ARCHIVABLE[kind];
  const records = tx[model] as unknown as ArchivableDelegate;
  const before = await records.findFirst({ where: { id, practiceId } });
  if (!before) throw new NotFoundError();
  await records.update({ where: { id }, data });
  const previous = Object.fromEntries(Object.keys(data).map((k) => [k, previousValue(before[k])])) as Prisma.InputJsonObject;
  await recordAudit(tx, { practiceId, actorId, action: `${kind}.update`, entityType, entityId: id, details: { previous } });
}

/**
 * Archives (keeping the first archive date) or restores a record of the
 * practice, with its audit event (`group.archive`, `partner.unarchive`, ...).
 */
export async function setArchived(prisma: PrismaClient, kind: keyof typeof ARCHIVABLE, practiceId: string, actorId: string, id: string, archived: boolean): Promise<void> {
  const { model, entityType } = ARCHIVABLE[kind];
  await prisma.$transaction(async (tx) => {
    const records = tx[model] as unknown as ArchivableDelegate;
    const before = await records.findFirst({ where: { id, practiceId } });
    if (!before) throw new NotFoundError();
    await records.update({ where: { id }, data: { archivedAt: archived ? (before.archivedAt ?? new Date()) : null } });
    await recordAudit(tx, {
      practiceId, actorId, action: `${kind}.${archived ? "archive" : "unarchive"}`, entityType, entityId: id,
      details: { previous: { archivedAt: before.archivedAt?.toISOString() ?? null } },
    });
  });
}
