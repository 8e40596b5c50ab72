// Create forms carry a hidden `formId` (a uuid made when the form was shown).
// The create writes it into its audit event; a second submit of the same form
// (double click, refresh after a lost response) finds that event and returns
// the record already made instead of making another. An advisory lock on the
// formId serialises two submits that arrive at the same moment.
import type { Prisma } from "../../generated/prisma/client.js";
import { isUuid } from "../../lib/routing.js";

type Tx = Prisma.TransactionClient;

export async function alreadyCreated(tx: Tx, practiceId: string, action: string, formId: string | undefined): Promise<string | undefined> {
  if (!formId || !isUuid(formId)) return undefined;
  await tx.$executeRaw`select 1 from pg_advisory_xact_lock(hashtext(${formId}))`;
  const previous = await tx.auditEvent.findFirst({
    where: { practiceId, action, details: { path: ["formId"], equals: formId } },
    select: { entityId: true },
  });
  return previous?.entityId ?? undefined;
}

export function formIdOf(body: unknown): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.formId;
  return isUuid(v) ? v : undefined;
}
