import request from "supertest";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, seedDemo } from "../../src/db/seed.js";
import { signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";

const { ctx } = withPractice({ practices: [] });

describe("the demo practice", () => {
  it("seeds a living practice once, whose demo accounts can sign in", async () => {
    const first = await seedDemo(ctx.prisma);
    expect(first.seeded).toBe(true);
    const again = await seedDemo(ctx.prisma);
    expect(again.seeded).toBe(false);
    const practice = await ctx.prisma.practice.findUniqueOrThrow({ where: { slug: "riverside" } });
    expect(await ctx.prisma.communityGroup.count({ where: { practiceId: practice.id } })).toBe(2);
    expect(await ctx.prisma.communitySession.count({ where: { practiceId: practice.id } })).toBe(4);
    expect(await ctx.prisma.idea.count({ where: { practiceId: practice.id } })).toBe(5);
    // Each idea's status is its latest response's status.
    const ideas = await ctx.prisma.idea.findMany({ where: { practiceId: practice.id }, include: { responses: { orderBy: { createdAt: "desc" }, take: 1 } } });
    for (const idea of ideas) expect(idea.status).toBe(idea.responses[0]?.status ?? "RECEIVED");
    for (const a of DEMO_ACCOUNTS) {
      const { agent } = await signInAs(ctx.app, a.email, a.password);
      expect((await agent.get("/dashboard")).text).toContain("Riverside Health Centre");
    }
    // The Arabic-speaking group reads Arabic, so the demo shows the translations to write.
    const manager = DEMO_ACCOUNTS.find((a) => a.role === "MANAGER")!;
    const { agent } = await signInAs(ctx.app, manager.email, manager.password);
    expect((await agent.get("/dashboard")).text).toMatch(/\d+ translations are missing/);

    // The group answered back at a report-back session: the letters and the interpreter answers are back on the list.
    const reopened = (await agent.get("/ideas?reopened=yes")).text;
    expect(reopened).toContain("Letters from the hospital come in English");
    expect(reopened).toContain("a woman interpreter");
    expect(reopened).not.toContain("When we phone at 8 o");
    // The public board in Arabic: the interpreter's translation of the booking answer, and what the group said about it.
    const booking = await ctx.prisma.idea.findFirstOrThrow({ where: { practiceId: practice.id, text: { startsWith: "When we phone" } } });
    const page = (await request(ctx.app).get(`/p/riverside/ideas/${booking.id}?lang=ar`)).text;
    expect(page).toContain("ابتداءً من يوم الاثنين، يمكن حجز 10 مواعيد");
    expect(page).toContain("Booking at the desk works.");
  });
});
