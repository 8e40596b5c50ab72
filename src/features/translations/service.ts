// Translations (issue 18): a group records the public pages' languages its
// members read; the practice records a person-written translation of a public
// response into one of them, with who wrote it as a role. Append-only (the
// newest per response and language is shown), audited, checked for
// identifying details like every public text. No express here.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { TranslatorRole } from "../../generated/prisma/enums.js";
import { NotFoundError } from "../../lib/errors.js";
import { isUuid } from "../../lib/routing.js";
import { TRANSLATION_CODES } from "../../lib/vocabulary.js";
import { assignedSql, type StaffViewer } from "../../lib/visibility.js";
import { recordAudit } from "../audit/service.js";
import { alreadyCreated, rememberCreated } from "../../lib/idempotency.js";

// The words and values (languages, translators' roles) are vocabulary; re-exported for the modules that import them from here.
export { languageName, TRANSLATION_CODES, TRANSLATION_LANGUAGES, TRANSLATOR_ROLE_LABELS, TRANSLATOR_ROLES } from "../../lib/vocabulary.js";

interface Actor { practiceId: string; userId: string }

export async function groupForLanguages(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const group = await prisma.communityGroup.findFirst({ where: { id, practiceId }, select: { id: true, name: true, languages: true, readingLanguages: true } });
  if (!group) throw new NotFoundError();
  return group;
}

export async function setReadingLanguages(prisma: PrismaClient, actor: Actor, groupId: string, codes: string[]): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const g = await tx.communityGroup.findFirst({ where: { id: groupId, practiceId: actor.practiceId }, select: { readingLanguages: true } });
    if (!g) throw new NotFoundError();
    const next = TRANSLATION_CODES.filter((c) => codes.includes(c));
    if (next.join(",") === g.readingLanguages.join(",")) return false;
    await tx.communityGroup.update({ where: { id: groupId }, data: { readingLanguages: next } });
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "group.reading-languages", entityType: "CommunityGroup", entityId: groupId,
      details: { previous: g.readingLanguages, readingLanguages: next },
    });
    return true;
  });
}

/**
 * A response that may carry a translation: a public response of an idea the
 * group or the public may see (PUBLIC or GROUP_ONLY), of this practice.
 */
export async function translatableResponse(prisma: PrismaClient, practiceId: string, ideaId: string, responseId: string) {
  if (!isUuid(ideaId) || !isUuid(responseId)) throw new NotFoundError();
  const response = await prisma.response.findFirst({
    where: { id: responseId, ideaId, practiceId, isPublic: true, idea: { practiceId, consent: { in: ["PUBLIC", "GROUP_ONLY"] } } },
    select: {
      id: true, text: true, createdAt: true, status: true,
      idea: { select: { id: true, text: true, group: { select: { name: true, readingLanguages: true } } } },
      translations: { where: { practiceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, language: true, text: true, translatorRole: true, createdAt: true } },
    },
  });
  if (!response) throw new NotFoundError();
  return response;
}
export type TranslatableResponse = Awaited<ReturnType<typeof translatableResponse>>;

export async function addTranslation(
  prisma: PrismaClient, actor: Actor, response: TranslatableResponse,
  input: { language: string; text: string; role: TranslatorRole }, confirmedKinds: string[] | null, formId: string,
): Promise<{ id: string; duplicate: boolean }> {
  return prisma.$transaction(async (tx) => {
    // A double submit of the same form saves nothing twice (lib/idempotency.ts).
    const previous = await alreadyCreated(tx, actor.practiceId, "translation.create", formId);
    if (previous) return { id: previous, duplicate: true };
    const t = await tx.responseTranslation.create({
      data: { practiceId: actor.practiceId, responseId: response.id, ideaId: response.idea.id, language: input.language, text: input.text, translatorRole: input.role, createdById: actor.userId },
      select: { id: true },
    });
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "translation.create", entityType: "ResponseTranslation", entityId: t.id,
      details: { responseId: response.id, ideaId: response.idea.id, language: input.language, translatorRole: input.role },
    });
    if (confirmedKinds) {
      await recordAudit(tx, {
        practiceId: actor.practiceId, actorId: actor.userId, action: "translation.identifying-details-confirmed", entityType: "ResponseTranslation", entityId: t.id,
        details: { field: "text", kinds: confirmedKinds, responseId: response.id },
      });
    }
    await rememberCreated(tx, actor.practiceId, "translation.create", formId, t.id);
    return { id: t.id, duplicate: false };
  });
}

export interface MissingTranslation {
  responseId: string;
  ideaId: string;
  ideaText: string;
  responseText: string;
  respondedAt: Date;
  groupName: string;
  language: string;
  total: number;
}

/**
 * Public responses of ideas the group or the public may see, lacking a
 * translation into one of their group's reading languages: one row per
 * (response, language), newest response first. A facilitator sees those of
 * the sessions assigned to them. One statement.
 */
export async function missingTranslations(prisma: PrismaClient, viewer: StaffViewer, take = 50): Promise<{ rows: MissingTranslation[]; total: number }> {
  const codes = Prisma.join(TRANSLATION_CODES.map((c) => Prisma.sql`${c}`), ", ");
  const rows = await prisma.$queryRaw<MissingTranslation[]>`
    select r.id as "responseId", i.id as "ideaId", i.text as "ideaText", r.text as "responseText", r."createdAt" as "respondedAt", g.name as "groupName", l.lang as language,
           count(*) over ()::int as total
    from "CommunityGroup" g
    cross join lateral unnest(g."readingLanguages") as l(lang)
    join "Idea" i on i."practiceId" = g."practiceId" and i."groupId" = g.id and i.consent in ('PUBLIC', 'GROUP_ONLY')
    join "Response" r on r."practiceId" = i."practiceId" and r."ideaId" = i.id and r."isPublic"
    where g."practiceId" = ${viewer.practiceId}::uuid and g."archivedAt" is null and l.lang in (${codes})
      and ${assignedSql(viewer, "i")}
      and not exists (select 1 from "ResponseTranslation" t where t."practiceId" = r."practiceId" and t."responseId" = r.id and t.language = l.lang)
    order by r."createdAt" desc, r.id, l.lang
    limit ${take}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

/** The newest translation of each of these responses into one language (one statement). */
export async function latestTranslations(prisma: PrismaClient, practiceId: string, responseIds: string[], language: string) {
  const map = new Map<string, { text: string; translatorRole: TranslatorRole }>();
  if (!responseIds.length) return map;
  const rows = await prisma.responseTranslation.findMany({
    where: { practiceId, responseId: { in: responseIds }, language },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { responseId: true, text: true, translatorRole: true },
  });
  for (const r of rows) if (!map.has(r.responseId)) map.set(r.responseId, { text: r.text, translatorRole: r.translatorRole });
  return map;
}
