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
    expect(await ctx.prisma.communitySession.count({ where: { practiceId: practice.id } })).toBe(3);
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
  });
});
