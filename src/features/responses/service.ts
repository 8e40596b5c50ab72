// Responses ("we did"): append-only. There is no update or delete here, on
// purpose: a correction is a new response, and the timeline keeps them all.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import type { Role } from "../../generated/prisma/enums.js";
import { NotFoundError } from "../../lib/errors.js";
import { isUuid } from "../../lib/routing.js";
import { recordAudit } from "../audit/service.js";
import type { IdentifyingKind } from "../../lib/identifying-details.js";
import type { ResponseInput } from "./schemas.js";

export interface ResponseActor {
  id: string;
  role: Role;
}

export type CreateResponseResult = { created: true; responseId: string } | { created: false; responseId: string | null };

/**
 * Adds a response and brings the idea up to date, in one transaction:
 * the idea's status becomes this status; firstResponseAt is set once;
 * doneAt is set when DONE (and cleared if the idea is reopened);
 * publicUpdatedAt moves when a public response is added to a published idea.
 * `formId` (a uuid from the form) makes a double submit a no-op (lib/idempotency.ts).
 * `auditDetails` are added to the response.create audit event (e.g. a confirmed reading age);
 * `confirmedKinds`, identifying details the manager confirmed in a public text,
 * get their own audit event in the same transaction.
 */
export async function createResponse(
  prisma: PrismaClient,
  practiceId: string,
  ideaId: string,
  actor: ResponseActor,
  input: ResponseInput,
  formId: string,
  now = new Date(),
  auditDetails: Record<string, unknown> = {},
  confirmedKinds?: IdentifyingKind[],
): Promise<CreateResponseResult> {
  if (!isUuid(ideaId)) throw new NotFoundError();
  return prisma.$transaction(async (tx) => {
    // Serialise responses to one idea, so two identical submits cannot both pass the check below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ideaId}))`;
    const idea = await tx.idea.findFirst({ where: { id: ideaId, practiceId }, select: { id: true, firstResponseAt: true, doneAt: true, publishedAt: true, status: true } });
    if (!idea) throw new NotFoundError();
    const previous = await alreadyCreated(tx, practiceId, "response.create", formId);
    if (previous) return { created: false, responseId: previous };
    const response = await tx.response.create({
      data: {
        practiceId, ideaId, status: input.status, text: input.text, targetDate: input.targetDate, isPublic: input.isPublic,
        authorId: actor.id, authorRole: actor.role, createdAt: now,
      },
    });
    await rememberCreated(tx, practiceId, "response.create", formId, response.id);
    await tx.idea.update({
      where: { id: ideaId },
      data: {
        status: input.status,
        firstResponseAt: idea.firstResponseAt ?? now,
        doneAt: input.status === "DONE" ? idea.doneAt ?? now : null,
        ...(input.isPublic && idea.publishedAt ? { publicUpdatedAt: now } : {}),
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, {
      practiceId, actorId: actor.id, action: "response.create", entityType: "Response", entityId: response.id,
      details: { formId, ideaId, status: input.status, isPublic: input.isPublic, previous: { ideaStatus: idea.status }, ...auditDetails },
    });
    if (confirmedKinds) {
      await recordAudit(tx, {
        practiceId, actorId: actor.id, action: "response.identifying-details-confirmed", entityType: "Response", entityId: response.id,
        details: { ideaId, kinds: confirmedKinds },
      });
    }
    return { created: true, responseId: response.id };
  });
}
