// Nothing saved twice on a double submit, through the one helper in
// src/lib/idempotency.ts: a claimed (practiceId, formId, action) key with a
// unique index, not a filter on a JSON field of the audit table.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { buildWorld, type World } from "../helpers/world.js";
import { groupSchema } from "../../src/features/groups/schemas.js";
import { partnerSchema } from "../../src/features/partners/schemas.js";
import { createGroup } from "../../src/features/groups/service.js";
import { createPartner } from "../../src/features/partners/service.js";
import { addTheme } from "../../src/features/themes/service.js";
import { createResponse } from "../../src/features/responses/service.js";
import { inviteUser } from "../../src/features/users/service.js";

const { ctx } = withPractice({ practices: [] });
let world: World;
beforeAll(async () => {
  world = await buildWorld(ctx.prisma);
});

describe("double submits", () => {
  it("two submits of one form at the same moment make one record, for every create form", async () => {
    const { practice, manager } = world.a;
    const p = practice.id;
    const twice = async <T>(make: (formId: string) => Promise<T>) => {
      const formId = crypto.randomUUID();
      return { formId, results: await Promise.all([make(formId), make(formId), make(formId)]) };
    };
    const partnerInput = partnerSchema.parse({ name: "Twice partner" });
    const partners = await twice((f) => createPartner(ctx.prisma, p, manager.id, partnerInput, f));
    expect(new Set(partners.results.map((r) => r.id)).size).toBe(1);
    expect(await ctx.prisma.partnerOrganisation.count({ where: { practiceId: p, name: "Twice partner" } })).toBe(1);

    const groupInput = groupSchema.parse({ name: "Twice group" });
    const groups = await twice((f) => createGroup(ctx.prisma, p, manager.id, groupInput, f));
    expect(new Set(groups.results.map((r) => r.id)).size).toBe(1);
    expect(await ctx.prisma.communityGroup.count({ where: { practiceId: p, name: "Twice group" } })).toBe(1);

    const themes = await twice((f) => addTheme(ctx.prisma, { practiceId: p, userId: manager.id }, { name: "Twice theme", formId: f }));
    expect(themes.results.filter((r) => r.ok).length).toBe(3);
    expect(await ctx.prisma.theme.count({ where: { practiceId: p, name: "Twice theme" } })).toBe(1);

    const before = await ctx.prisma.response.count({ where: { ideaId: world.a.ideaId } });
    const responses = await twice((f) =>
      createResponse(ctx.prisma, p, world.a.ideaId, { id: manager.id, role: "MANAGER" }, { status: "PLANNED", text: "Twice response", targetDate: null, isPublic: false }, f),
    );
    expect(responses.results.filter((r) => r.ok && r.created).length).toBe(1);
    expect(await ctx.prisma.response.count({ where: { ideaId: world.a.ideaId } })).toBe(before + 1);

    const email = `twice-${crypto.randomBytes(3).toString("hex")}@example.test`;
    const invites = await twice((f) => inviteUser(ctx.prisma, p, manager.id, { name: "Twice Person", email, role: "VIEWER", formId: f }));
    const invited = invites.results.map((r) => (r.ok ? r.userId : undefined));
    expect(new Set(invited).size).toBe(1);
    expect(await ctx.prisma.invitation.count({ where: { userId: invited[0]! } })).toBe(1);

    // Each claim is a row of IdempotencyKey, keyed by practice first, holding what was made.
    for (const [action, run] of [["partner.create", partners], ["group.create", groups], ["theme.create", themes], ["response.create", responses], ["user.invite", invites]] as const) {
      const key = await ctx.prisma.idempotencyKey.findUniqueOrThrow({ where: { practiceId_formId_action: { practiceId: p, formId: run.formId, action } } });
      expect(key.entityId, action).toBeTruthy();
    }
  });

  it("finds an earlier submit by its key, not by searching the audit log", async () => {
    const { practice, manager } = world.a;
    const formId = crypto.randomUUID();
    const input = partnerSchema.parse({ name: "Keyed partner" });
    const first = await createPartner(ctx.prisma, practice.id, manager.id, input, formId);
    // The audit row of the first submit says nothing about the form any more: the second is still caught.
    await ctx.prisma.$executeRawUnsafe(`alter table "AuditEvent" disable trigger user`);
    await ctx.prisma.$executeRaw`update "AuditEvent" set details = '{}' where "entityId" = ${first.id}`;
    await ctx.prisma.$executeRawUnsafe(`alter table "AuditEvent" enable trigger user`);
    const second = await createPartner(ctx.prisma, practice.id, manager.id, input, formId);
    expect(second).toEqual({ id: first.id, duplicate: true });
    // The same formId in another practice is that practice's own form.
    const other = await createPartner(ctx.prisma, world.b.practice.id, world.b.manager.id, input, formId);
    expect(other.duplicate).toBe(false);
  });

  it("looks the key up through the practice-leading unique index", async () => {
    const rows = await ctx.prisma.$queryRawUnsafe<{ indexdef: string }[]>(
      `select indexdef from pg_indexes where tablename = 'IdempotencyKey' and indexdef like '%UNIQUE%'`,
    );
    expect(rows.map((r) => r.indexdef).join("\n")).toMatch(/\("practiceId", "formId", action\)/);
  });
});
