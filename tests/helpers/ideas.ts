// Ideas made directly in the database for the ideas and responses tests.
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Consent, IdeaStatus } from "../../src/generated/prisma/enums.js";
import { createGroupAndSession, type PracticeFixture } from "./fixtures.js";
import { makeGroup } from "./sessions.js";

export interface IdeaOrigin {
  practiceId: string;
  sessionId: string;
  groupId: string;
  themeId: string;
}

export async function createIdea(
  prisma: PrismaClient,
  origin: IdeaOrigin,
  data: { text?: string; support?: number; consent?: Consent; status?: IdeaStatus; dueAt?: Date; firstResponseAt?: Date | null; publishedAt?: Date | null; createdAt?: Date; themeId?: string } = {},
) {
  return prisma.idea.create({
    data: {
      practiceId: origin.practiceId,
      sessionId: origin.sessionId,
      groupId: origin.groupId,
      themeId: data.themeId ?? origin.themeId,
      text: data.text ?? "An idea",
      support: data.support ?? 0,
      consent: data.consent ?? "PUBLIC",
      status: data.status ?? "RECEIVED",
      dueAt: data.dueAt ?? new Date(Date.now() + 28 * 864e5),
      firstResponseAt: data.firstResponseAt ?? null,
      publishedAt: data.publishedAt ?? null,
      publicUpdatedAt: data.publishedAt ?? null,
      ...(data.createdAt ? { createdAt: data.createdAt } : {}),
    },
  });
}

/** The hidden fields of the first form posting to `action` on a page. */
export function hiddenField(html: string, name: string): string {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  if (!m) throw new Error(`no hidden field ${name}`);
  return m[1]!;
}

/**
 * The place ideas come from in a practice's tests (a held session of a test group, the practice's first theme),
 * and a second group for forms that choose one.
 */
export async function ideaOriginAndGroup(prisma: PrismaClient, f: PracticeFixture, groupName: string): Promise<{ origin: IdeaOrigin; groupId: string }> {
  const { group, session } = await createGroupAndSession(prisma, f);
  const theme = await prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
  const origin = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  const other = await makeGroup(prisma, f.practice.id, { name: groupName });
  return { origin, groupId: other.id };
}
