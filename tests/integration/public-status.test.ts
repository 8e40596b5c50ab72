// Idea.latestPublicResponseId / publicStatus / publicRespondedAt: the latest
// PUBLIC response of each idea, kept by a database trigger on Response (so
// every way of writing responses maintains it, in the same transaction), and
// backfilled by the migration. The public board filters, counts and orders on it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createResponse } from "../../src/features/responses/service.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

const { ctx, a: f } = withPractice({ practices: ["Public Status Practice"] });
let base: { practiceId: string; sessionId: string; groupId: string; themeId: string };

beforeAll(async () => {
  const s = await createGroupAndSession(ctx.prisma, f);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
  base = { practiceId: f.practice.id, sessionId: s.session.id, groupId: s.group.id, themeId: theme.id };
});

const publicState = (id: string) =>
  ctx.prisma.idea.findUniqueOrThrow({ where: { id }, select: { publicStatus: true, publicRespondedAt: true, latestPublicResponseId: true, status: true, updatedAt: true } });
const actor = () => ({ id: f.manager.id, role: "MANAGER" as const });

describe("the idea's public status", () => {
  it("is set by a public response (through the responses service), in its transaction; a private one leaves it", async () => {
    const idea = await createIdea(ctx.prisma, { ...base, text: "Status idea", consent: "PUBLIC", published: true });
    expect(await publicState(idea.id)).toMatchObject({ publicStatus: null, publicRespondedAt: null, latestPublicResponseId: null });

    const at = new Date("2026-06-01T10:00:00Z");
    const made = await createResponse(ctx.prisma, f.practice.id, idea.id, actor(), { status: "PLANNED", text: "Planned for spring.", isPublic: true, targetDate: null }, crypto.randomUUID(), at);
    if (!made.ok) throw new Error("refused");
    expect(made.created).toBe(true);
    const afterPublic = await publicState(idea.id);
    expect(afterPublic).toMatchObject({ publicStatus: "PLANNED", publicRespondedAt: at, latestPublicResponseId: made.responseId, status: "PLANNED" });

    const later = new Date("2026-07-01T10:00:00Z");
    await createResponse(ctx.prisma, f.practice.id, idea.id, actor(), { status: "NOT_POSSIBLE", text: "Private: no budget.", isPublic: false, targetDate: null }, crypto.randomUUID(), later);
    // Idea.status follows every response; the public status only public ones.
    expect(await publicState(idea.id)).toMatchObject({ publicStatus: "PLANNED", publicRespondedAt: at, latestPublicResponseId: made.responseId, status: "NOT_POSSIBLE" });
  });

  it("follows the latest public response by date (then id), not the last inserted; the trigger leaves updatedAt alone", async () => {
    const idea = await createIdea(ctx.prisma, { ...base, text: "Order idea", consent: "GROUP_ONLY" });
    const mk = (status: "DONE" | "IN_PROGRESS" | "PLANNED", createdAt: Date, id?: string) =>
      ctx.prisma.response.create({ data: { id, practiceId: f.practice.id, ideaId: idea.id, status, text: status, authorRole: "MANAGER", createdAt } });
    const newest = await mk("DONE", new Date("2026-05-10T00:00:00Z"));
    const before = await publicState(idea.id);
    await mk("IN_PROGRESS", new Date("2026-05-01T00:00:00Z")); // back-dated: not the latest
    const after = await publicState(idea.id);
    expect(after).toMatchObject({ publicStatus: "DONE", latestPublicResponseId: newest.id });
    expect(after.updatedAt).toEqual(before.updatedAt);
    // Same time: the greater id wins, as on the idea page's timeline.
    const tie = await mk("PLANNED", new Date("2026-05-10T00:00:00Z"), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    expect(await publicState(idea.id)).toMatchObject({ publicStatus: "PLANNED", latestPublicResponseId: tie.id });
  });

  it("is kept for bulk inserts, and recomputed when responses are changed or removed", async () => {
    const a = await createIdea(ctx.prisma, { ...base, text: "Bulk A", consent: "PUBLIC", published: true });
    const b = await createIdea(ctx.prisma, { ...base, text: "Bulk B", consent: "PUBLIC", published: true });
    const row = (ideaId: string, status: "RECEIVED" | "DONE" | "PLANNED", day: number, isPublic = true) =>
      ({ practiceId: f.practice.id, ideaId, status, text: status, isPublic, authorRole: "MANAGER" as const, createdAt: new Date(Date.UTC(2026, 3, day)) });
    await ctx.prisma.response.createMany({ data: [row(a.id, "RECEIVED", 1), row(a.id, "DONE", 3), row(b.id, "PLANNED", 2), row(b.id, "DONE", 4, false)] });
    expect((await publicState(a.id)).publicStatus).toBe("DONE");
    expect((await publicState(b.id)).publicStatus).toBe("PLANNED");

    await ctx.prisma.response.updateMany({ where: { ideaId: a.id, status: "DONE" }, data: { isPublic: false } });
    expect((await publicState(a.id)).publicStatus).toBe("RECEIVED");
    await ctx.prisma.response.deleteMany({ where: { ideaId: a.id, isPublic: true } });
    expect(await publicState(a.id)).toMatchObject({ publicStatus: null, publicRespondedAt: null, latestPublicResponseId: null });
  });

  it("is backfilled by the migration for existing responses", async () => {
    const idea = await createIdea(ctx.prisma, {
      ...base, text: "Backfill idea", consent: "PUBLIC", published: true,
      responses: [{ status: "UNDER_CONSIDERATION", text: "Looking.", daysAgo: 9 }, { status: "IN_PROGRESS", text: "Doing.", daysAgo: 5 }, { status: "DONE", text: "Private done.", daysAgo: 1, isPublic: false }],
    });
    const expected = await publicState(idea.id);
    expect(expected.publicStatus).toBe("IN_PROGRESS");
    // As before the migration: no column values (the trigger fires on Response only).
    await ctx.prisma.$executeRaw`update "Idea" set "latestPublicResponseId" = null, "publicStatus" = null, "publicRespondedAt" = null where "practiceId" = ${f.practice.id}::uuid`;
    const dir = path.join(import.meta.dirname, "../../prisma/migrations");
    const migration = fs.readdirSync(dir).find((d) => d.endsWith("_idea_public_status"))!;
    const sql = fs.readFileSync(path.join(dir, migration, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- Backfill"));
    await ctx.prisma.$executeRawUnsafe(backfill.replace(/^--.*$/gm, "").trim().replace(/;$/, ""));
    const restored = await publicState(idea.id);
    expect(restored).toMatchObject({ publicStatus: "IN_PROGRESS", publicRespondedAt: expected.publicRespondedAt, latestPublicResponseId: expected.latestPublicResponseId });
  });
});
