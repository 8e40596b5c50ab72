// The practice's theme list: add, rename, reorder, retire. Retired themes stay
// on the ideas that have them but are not offered for new ideas.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";
import { NotFoundError } from "../../lib/errors.js";
import { isUuid } from "../../lib/routing.js";
import { redactIdentifyingDetails, type IdentifyingKind } from "../../lib/identifying-details.js";
import { recordAudit } from "../audit/service.js";
import { invalid, type Result } from "../../lib/result.js";

export interface Actor {
  practiceId: string;
  userId: string;
}

export async function listThemes(prisma: PrismaClient, practiceId: string) {
  const [themes, counts] = await Promise.all([
    prisma.theme.findMany({ where: { practiceId }, orderBy: [{ position: "asc" }, { name: "asc" }] }),
    prisma.idea.groupBy({ by: ["themeId"], where: { practiceId }, _count: { _all: true } }),
  ]);
  const byTheme = new Map(counts.map((c) => [c.themeId, c._count._all]));
  return themes.map((t) => ({ ...t, ideaCount: byTheme.get(t.id) ?? 0 }));
}

/** Themes a new idea may have: not retired, in the practice's order. */
export async function activeThemes(prisma: PrismaClient, practiceId: string) {
  return prisma.theme.findMany({ where: { practiceId, retiredAt: null }, orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, name: true } });
}

export async function findTheme(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const theme = await prisma.theme.findFirst({ where: { id, practiceId } });
  if (!theme) throw new NotFoundError();
  return theme;
}

/** Another theme of the practice with this name, ignoring case. */
async function nameTaken(prisma: Pick<PrismaClient, "theme">, practiceId: string, name: string, exceptId?: string) {
  const other = await prisma.theme.findFirst({ where: { practiceId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  return Boolean(other);
}

export type ThemeResult = Result<{ id: string; duplicate?: boolean }, "invalid">;

const takenMessage = (name: string) => `There is already a theme called "${name}"`;

/** Identifying details the manager confirmed in the name (lib/text-check.ts): audited in the save's transaction. */
interface Confirmed {
  confirmedKinds?: IdentifyingKind[];
}

async function auditConfirmed(tx: Pick<PrismaClient, "auditEvent">, actor: Actor, themeId: string, { confirmedKinds }: Confirmed) {
  if (!confirmedKinds) return;
  await recordAudit(tx, {
    practiceId: actor.practiceId, actorId: actor.userId, action: "theme.identifying-details-confirmed", entityType: "Theme", entityId: themeId, details: { kinds: confirmedKinds },
  });
}

/** Adds a theme at the end of the list. `formId` makes a double submit harmless. */
export async function addTheme(prisma: PrismaClient, actor: Actor, input: { name: string; formId?: string } & Confirmed): Promise<ThemeResult> {
  return prisma.$transaction(async (tx) => {
    const earlier = await alreadyCreated(tx, actor.practiceId, "theme.create", input.formId);
    if (earlier) return { ok: true, id: earlier, duplicate: true };
    if (await nameTaken(tx, actor.practiceId, input.name)) return invalid({ name: takenMessage(input.name) });
    const last = await tx.theme.aggregate({ where: { practiceId: actor.practiceId }, _max: { position: true } });
    const theme = await tx.theme.create({ data: { practiceId: actor.practiceId, name: input.name, position: (last._max.position ?? 0) + 1 } });
    await rememberCreated(tx, actor.practiceId, "theme.create", input.formId, theme.id);
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "theme.create", entityType: "Theme", entityId: theme.id,
      details: { name: theme.name, position: theme.position, ...(input.formId ? { formId: input.formId } : {}) },
    });
    await auditConfirmed(tx, actor, theme.id, input);
    return { ok: true, id: theme.id };
  });
}

export async function renameTheme(prisma: PrismaClient, actor: Actor, id: string, name: string, confirmed: Confirmed = {}): Promise<ThemeResult> {
  return prisma.$transaction(async (tx) => {
    const theme = await tx.theme.findFirst({ where: { id, practiceId: actor.practiceId } });
    if (!theme) throw new NotFoundError();
    if (theme.name === name) return { ok: true, id };
    if (await nameTaken(tx, actor.practiceId, name, id)) return invalid({ name: takenMessage(name) });
    await tx.theme.update({ where: { id }, data: { name } });
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "theme.rename", entityType: "Theme", entityId: id,
      details: { previous: { name: redactIdentifyingDetails(theme.name) }, name },
    });
    await auditConfirmed(tx, actor, id, confirmed);
    return { ok: true, id };
  });
}

/** Swaps the theme with its neighbour above or below. At the top (or bottom) nothing changes. */
export async function moveTheme(prisma: PrismaClient, actor: Actor, id: string, direction: "up" | "down"): Promise<{ moved: boolean; name: string }> {
  return prisma.$transaction(async (tx) => {
    const themes = await tx.theme.findMany({ where: { practiceId: actor.practiceId }, orderBy: [{ position: "asc" }, { name: "asc" }] });
    const i = themes.findIndex((t) => t.id === id);
    if (i === -1) throw new NotFoundError();
    const j = direction === "up" ? i - 1 : i + 1;
    const theme = themes[i]!;
    if (j < 0 || j >= themes.length) return { moved: false, name: theme.name };
    // Renumber 1..n in the new order, so equal or sparse positions never stick.
    const order = [...themes];
    order[i] = themes[j]!;
    order[j] = theme;
    for (const [k, t] of order.entries()) {
      if (t.position !== k + 1) await tx.theme.update({ where: { id: t.id }, data: { position: k + 1 } });
    }
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "theme.move", entityType: "Theme", entityId: id,
      details: { direction, previous: { position: theme.position, order: themes.map((t) => t.id) }, position: j + 1 },
    });
    return { moved: true, name: theme.name };
  });
}

export async function setThemeRetired(prisma: PrismaClient, actor: Actor, id: string, retired: boolean): Promise<{ changed: boolean; name: string }> {
  return prisma.$transaction(async (tx) => {
    const theme = await tx.theme.findFirst({ where: { id, practiceId: actor.practiceId } });
    if (!theme) throw new NotFoundError();
    if (Boolean(theme.retiredAt) === retired) return { changed: false, name: theme.name };
    await tx.theme.update({ where: { id }, data: { retiredAt: retired ? new Date() : null } });
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: retired ? "theme.retire" : "theme.unretire", entityType: "Theme", entityId: id,
      details: { previous: { retiredAt: theme.retiredAt?.toISOString() ?? null } },
    });
    return { changed: true, name: theme.name };
  });
}
