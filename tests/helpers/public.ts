// Test data for the public pages, written directly with prisma as the staff
// side would: ideas with a consent, published or not, and responses.
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Consent, IdeaStatus, Role } from "../../src/generated/prisma/enums.js";
import { createTestContext, type TestContext } from "./app.js";

const DAY = 24 * 3600 * 1000;

export interface IdeaSpec {
  practiceId: string;
  sessionId: string;
  groupId: string;
  themeId: string;
  text: string;
  consent: Consent;
  published?: boolean;
  /** Days ago the idea was created (default 10). */
  ageDays?: number;
  responses?: { status: IdeaStatus; text: string; isPublic?: boolean; daysAgo?: number; authorId?: string; authorRole?: Role; targetDate?: Date }[];
}

/** An idea with its responses; Idea.status follows the latest response (public or not), as the staff side keeps it. */
export async function createIdea(prisma: PrismaClient, spec: IdeaSpec) {
  const now = Date.now();
  const createdAt = new Date(now - (spec.ageDays ?? 10) * DAY);
  const idea = await prisma.idea.create({
    data: {
      practiceId: spec.practiceId, sessionId: spec.sessionId, groupId: spec.groupId, themeId: spec.themeId, text: spec.text, consent: spec.consent,
      dueAt: new Date(createdAt.getTime() + 28 * DAY), createdAt,
      publishedAt: spec.published ? new Date(createdAt.getTime() + DAY) : null,
      publicUpdatedAt: spec.published ? new Date(createdAt.getTime() + DAY) : null,
    },
  });
  let last: IdeaStatus | undefined;
  for (const r of spec.responses ?? []) {
    await prisma.response.create({
      data: {
        practiceId: spec.practiceId, ideaId: idea.id, status: r.status, text: r.text, isPublic: r.isPublic ?? true,
        authorId: r.authorId ?? null, authorRole: r.authorRole ?? "MANAGER", targetDate: r.targetDate ?? null,
        createdAt: new Date(now - (r.daysAgo ?? 1) * DAY),
      },
    });
    last = r.status;
  }
  if (last) await prisma.idea.update({ where: { id: idea.id }, data: { status: last } });
  return idea;
}


/** Like createTestContext, but counting the SQL statements the app runs. */
export async function createCountingContext(env: Record<string, string> = {}): Promise<TestContext & { queries: string[] }> {
  const queries: string[] = [];
  const ctx = await createTestContext(env, { onQuery: (sql) => queries.push(sql) });
  // Statements sent through pg directly count too (the public pages' practice read, the session store).
  const query = ctx.db.pool.query.bind(ctx.db.pool) as (...args: unknown[]) => unknown;
  (ctx.db.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    queries.push(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
    return query(...args);
  };
  return { ...ctx, queries };
}
