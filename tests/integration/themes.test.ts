import { describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { DEFAULT_THEMES } from "../../src/features/practices/service.js";

const { ctx, a, b, manager } = withPractice({ practices: ["Practice A", "Practice B"], signIn: ["manager"] });

const themesOf = (practiceId: string) => ctx.prisma.theme.findMany({ where: { practiceId }, orderBy: { position: "asc" } });


describe("/themes", () => {
  it("lists the practice's seeded themes in order, with actions", async () => {
    const res = await manager.agent.get("/themes");
    expect(res.status).toBe(200);
    let at = 0;
    for (const name of DEFAULT_THEMES) {
      const i = res.text.indexOf(name, at);
      expect(i, name).toBeGreaterThan(at);
      at = i;
    }
    expect(res.text).toContain("Move up");
    expect(res.text).toContain("Retire");
  });

  it("adds a theme at the end, once even when the form is submitted twice, and audits it", async () => {
    const page = await manager.agent.get("/themes");
    const formId = page.text.match(/name="formId" value="([^"]+)"/)![1]!;
    const body = { _csrf: manager.csrf, name: "  Getting to the surgery ", formId };
    const first = await manager.agent.post("/themes").type("form").send(body);
    expect(first.status).toBe(303);
    const second = await manager.agent.post("/themes").type("form").send(body);
    expect(second.status).toBe(303);
    const themes = await themesOf(a.practice.id);
    expect(themes.filter((t) => t.name === "Getting to the surgery")).toHaveLength(1);
    expect(themes.at(-1)!.name).toBe("Getting to the surgery");
    const audit = await ctx.prisma.auditEvent.findMany({ where: { practiceId: a.practice.id, action: "theme.create" } });
    expect(audit).toHaveLength(1);
  });

  it("refuses an empty, too long or duplicate name, keeping the input and saving nothing", async () => {
    const before = await themesOf(a.practice.id);
    const empty = await manager.agent.post("/themes").type("form").send({ _csrf: manager.csrf, name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Enter a name for the theme");
    expect(empty.text).toContain('href="#name"');
    const long = await manager.agent.post("/themes").type("form").send({ _csrf: manager.csrf, name: "x".repeat(81) });
    expect(long.status).toBe(400);
    expect(long.text).toContain("80 characters or fewer");
    const dup = await manager.agent.post("/themes").type("form").send({ _csrf: manager.csrf, name: "digital SERVICES" });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain("There is already a theme called");
    expect(dup.text).toContain('value="digital SERVICES"');
    expect(await themesOf(a.practice.id)).toEqual(before);
  });

  it("renames a theme and keeps the previous name in the audit log", async () => {
    const theme = (await themesOf(a.practice.id)).find((t) => t.name === "Other")!;
    const form = await manager.agent.get(`/themes/${theme.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Other"');
    const bad = await manager.agent.post(`/themes/${theme.id}/edit`).type("form").send({ _csrf: manager.csrf, name: "Access and appointments" });
    expect(bad.status).toBe(400);
    expect((await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).name).toBe("Other");
    const res = await manager.agent.post(`/themes/${theme.id}/edit`).type("form").send({ _csrf: manager.csrf, name: "Something else" });
    expect(res.status).toBe(303);
    expect((await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).name).toBe("Something else");
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "theme.rename", entityId: theme.id } });
    expect(audit.details).toMatchObject({ previous: { name: "Other" }, name: "Something else" });
  });

  it("moves a theme up and down, and does nothing past the ends", async () => {
    const [first, second] = await themesOf(a.practice.id);
    const down = await manager.agent.post(`/themes/${first!.id}/move`).type("form").send({ _csrf: manager.csrf, direction: "down" });
    expect(down.status).toBe(303);
    let order = (await themesOf(a.practice.id)).map((t) => t.id);
    expect(order.slice(0, 2)).toEqual([second!.id, first!.id]);
    await manager.agent.post(`/themes/${first!.id}/move`).type("form").send({ _csrf: manager.csrf, direction: "up" });
    order = (await themesOf(a.practice.id)).map((t) => t.id);
    expect(order.slice(0, 2)).toEqual([first!.id, second!.id]);
    const top = await manager.agent.post(`/themes/${first!.id}/move`).type("form").send({ _csrf: manager.csrf, direction: "up" });
    expect(top.status).toBe(303);
    expect((await themesOf(a.practice.id)).map((t) => t.id)).toEqual(order);
    const audit = await ctx.prisma.auditEvent.findMany({ where: { action: "theme.move", entityId: first!.id }, orderBy: { id: "asc" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ direction: "down", previous: { position: 1 }, position: 2 });
    const bad = await manager.agent.post(`/themes/${first!.id}/move`).type("form").send({ _csrf: manager.csrf, direction: "sideways" });
    expect(bad.status).toBe(400);
  });

  it("retires a theme (still listed, marked retired) and brings it back", async () => {
    const theme = (await themesOf(a.practice.id)).find((t) => t.name === "Digital services")!;
    const res = await manager.agent.post(`/themes/${theme.id}/retire`).type("form").send({ _csrf: manager.csrf, retired: "yes" });
    expect(res.status).toBe(303);
    expect((await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).retiredAt).not.toBeNull();
    const list = await manager.agent.get("/themes");
    expect(list.text).toContain("Bring back<span class=\"nhsuk-u-visually-hidden\"> Digital services");
    await manager.agent.post(`/themes/${theme.id}/retire`).type("form").send({ _csrf: manager.csrf, retired: "no" });
    expect((await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).retiredAt).toBeNull();
    const audit = await ctx.prisma.auditEvent.findMany({ where: { entityId: theme.id, action: { in: ["theme.retire", "theme.unretire"] } }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["theme.retire", "theme.unretire"]);
    expect(audit[1]!.details).toMatchObject({ previous: { retiredAt: expect.any(String) } });
  });

  it("gives another practice's manager a 404 and changes nothing", async () => {
    const theme = (await themesOf(a.practice.id))[0]!;
    const other = await signInAs(ctx.app, b.manager.email, b.manager.password);
    expect((await other.agent.get(`/themes/${theme.id}/edit`)).status).toBe(404);
    for (const [url, body] of [
      [`/themes/${theme.id}/edit`, { name: "Hijacked" }],
      [`/themes/${theme.id}/move`, { direction: "down" }],
      [`/themes/${theme.id}/retire`, { retired: "yes" }],
    ] as const) {
      const res = await other.agent.post(url).type("form").send({ _csrf: other.csrf, ...body });
      expect(res.status, url).toBe(404);
    }
    expect(await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).toEqual(theme);
    // Their own list shows their own themes only.
    const list = await other.agent.get("/themes");
    expect(list.text).not.toContain("Getting to the surgery");
    expect((await other.agent.get("/themes/not-a-uuid/edit")).status).toBe(404);
  });

  it("is for managers only", async () => {
    const facilitator = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    expect((await facilitator.agent.get("/themes")).status).toBe(403);
    const page = await facilitator.agent.get("/dashboard");
    const res = await facilitator.agent.post("/themes").type("form").send({ _csrf: csrfTokenIn(page.text), name: "Sneaky" });
    expect(res.status).toBe(403);
    expect(await ctx.prisma.theme.count({ where: { name: "Sneaky" } })).toBe(0);
  });
});
