// AuditEvent: who did what to which record, when. Append-only: there is no
// update or delete here, and nothing else writes the table.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";

type Tx = Pick<PrismaClient, "auditEvent">;

export interface AuditEntry {
  practiceId?: string | null;
  actorId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Prisma.InputJsonValue;
}

export async function recordAudit(db: Tx, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      practiceId: entry.practiceId ?? null,
      actorId: entry.actorId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      details: entry.details ?? {},
    },
  });
}
