// Records that are archived, never deleted (community groups and partner
// organisations: sessions and ideas refer to them). What the two have in
// common: the current/archived list, and archiving or restoring with its
// audit event. What differs stays in each feature (their fields, their forms,
// a group's private link).
import { z } from "zod";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { NotFoundError } from "../../lib/errors.js";
import { recordAudit } from "../audit/service.js";

type Tx = Prisma.TransactionClient;

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

export interface ArchivableKind<T extends { archivedAt: Date | null }> {
  /** The audit actions are `<action>.archive` and `<action>.unarchive`. */
  action: string;
  entityType: string;
  find(tx: Tx, practiceId: string, id: string): Promise<T | null>;
  setArchivedAt(tx: Tx, id: string, archivedAt: Date | null): Promise<unknown>;
}

/** Archives (keeping the first archive date) or restores a record, with its audit event; returns the record as it was. */
export async function setArchived<T extends { archivedAt: Date | null }>(
  prisma: PrismaClient, kind: ArchivableKind<T>, practiceId: string, actorId: string, id: string, archived: boolean,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const before = await kind.find(tx, practiceId, id);
    if (!before) throw new NotFoundError();
    await kind.setArchivedAt(tx, id, archived ? (before.archivedAt ?? new Date()) : null);
    await recordAudit(tx, {
      practiceId, actorId, action: `${kind.action}.${archived ? "archive" : "unarchive"}`, entityType: kind.entityType, entityId: id,
      details: { previous: { archivedAt: before.archivedAt?.toISOString() ?? null } },
    });
    return before;
  });
}
