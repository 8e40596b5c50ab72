// Two practices with one of everything, for tests that walk every route:
// practice A's records are the targets; practice B's manager must never reach them.
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "./fixtures.js";

export interface PracticeWorld extends PracticeFixture {
  partnerId: string;
  groupId: string;
  groupToken: string;
  sessionId: string;
  themeId: string;
  ideaId: string;
  responseId: string;
  /** A PRACTICE_ONLY idea from a session the practice's facilitator is not assigned to. */
  unassignedIdeaId: string;
  /** A session being planned step by step (sessions/draft.ts), with only a title. */
  sessionDraftId: string;
  /** An e-mail of the practice (already sent), for /outbox/:id. */
  mailMessageId: string;
  /** An e-mail of the practice that every attempt failed to send, for /emails/:id/retry. */
  failedMailId: string;
}

export interface World {
  a: PracticeWorld;
  b: PracticeWorld;
}

async function practiceWorld(prisma: PrismaClient, name: string): Promise<PracticeWorld> {
  const f = await createPracticeWithStaff(prisma, name);
  const { partner, group, session } = await createGroupAndSession(prisma, f, { status: "HELD" });
  const theme = await prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const idea = await prisma.idea.create({
    data: {
      practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id,
      text: `An idea from ${name}`, support: 3, consent: "PUBLIC", dueAt: new Date(Date.now() + 27 * 864e5),
      status: "UNDER_CONSIDERATION", firstResponseAt: new Date(), publishedAt: new Date(), publicUpdatedAt: new Date(),
    },
  });
  const response = await prisma.response.create({
    data: { practiceId: f.practice.id, ideaId: idea.id, status: "UNDER_CONSIDERATION", text: "We are looking at this.", isPublic: true, authorId: f.manager.id, authorRole: "MANAGER" },
  });
  const other = await createGroupAndSession(prisma, f, { status: "HELD" });
  await prisma.sessionFacilitator.deleteMany({ where: { sessionId: other.session.id } });
  const unassigned = await prisma.idea.create({
    data: {
      practiceId: f.practice.id, sessionId: other.session.id, groupId: other.group.id, themeId: theme.id,
      text: `A practice-only idea from ${name}`, support: 1, consent: "PRACTICE_ONLY", dueAt: new Date(Date.now() + 27 * 864e5),
    },
  });
  const sessionDraft = await prisma.sessionDraft.create({ data: { practiceId: f.practice.id, data: { values: { title: `Being planned in ${name}` }, visited: [] }, createdById: f.manager.id } });
  const mail = await prisma.mailMessage.create({
    data: { practiceId: f.practice.id, userId: f.facilitator.id, kind: "SESSION_CHANGED", status: "SENT", toAddress: f.facilitator.email, subject: "Changed: a session", sentAt: new Date() },
  });
  const failed = await prisma.mailMessage.create({
    data: { practiceId: f.practice.id, userId: f.viewer.id, kind: "WEEKLY_DIGEST", status: "FAILED", attempts: 9, lastError: "451 Try again later" },
  });
  return { ...f, mailMessageId: mail.id, failedMailId: failed.id, sessionDraftId: sessionDraft.id, unassignedIdeaId: unassigned.id, partnerId: partner.id, groupId: group.id, groupToken: group.linkToken, sessionId: session.id, themeId: theme.id, ideaId: idea.id, responseId: response.id };
}

export async function buildWorld(prisma: PrismaClient): Promise<World> {
  return { a: await practiceWorld(prisma, "Practice A"), b: await practiceWorld(prisma, "Practice B") };
}
