// Helpers for the sessions, groups and partners tests.
import crypto from "node:crypto";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { newLinkToken } from "../../src/features/practices/service.js";
import { sectionOf, type SectionKey } from "../../src/features/sessions/draft.js";

/** A complete, valid session form body (flat keys, as a browser posts them). */
export function sessionForm(opts: { groupId: string; facilitatorIds: string[]; date?: [number, number, number]; start?: string; end?: string }, overrides: Record<string, string | string[]> = {}) {
  const [day, month, year] = opts.date ?? futureDate();
  const body: Record<string, string | string[]> = {
    formId: crypto.randomUUID(),
    groupId: opts.groupId,
    partnerId: "",
    title: "Listening session",
    purpose: "Talk about getting appointments",
    facilitatorIds: opts.facilitatorIds,
    "startDate[day]": String(day),
    "startDate[month]": String(month),
    "startDate[year]": String(year),
    startTime: opts.start ?? "10:00",
    endTime: opts.end ?? "12:00",
    online: "no",
    venueName: "Community centre",
    venueAddress: "1 High Street",
    venueAccessibility: "Step-free entrance",
    onlineDetails: "",
    interpreterLanguages: "Arabic, Tigrinya",
    support: ["travel", "refreshments"],
    supportOther: "",
    capacity: "12",
    practicePresence: "NON_CLINICAL_ONLY",
    practicePresenceNotes: "The practice manager, for the last 30 minutes",
    groundRules: "Listen to each other",
    confidentiality: "Nobody is named",
    safeguardingLead: "Sam, partner organisation",
    checklistSafety: "Quiet room available",
    checklistTrust: "Explain what happens next",
    checklistChoice: "Nobody has to speak",
    checklistCollaboration: "Questions agreed with the group",
    checklistEmpowerment: "Own words recorded",
    checklistCulture: "Women-only session",
    preparationNotes: "Bring name badges",
    status: "DRAFT",
  };
  return { ...body, ...overrides };
}

/** A date about a month ahead, as [day, month, year]. */
export function futureDate(daysAhead = 30): [number, number, number] {
  const d = new Date(Date.now() + daysAhead * 864e5);
  return [d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear()];
}

export async function makeGroup(prisma: PrismaClient, practiceId: string, data: { name?: string; partnerId?: string; usualVenue?: string; languages?: string[]; usualTimes?: string } = {}) {
  return prisma.communityGroup.create({ data: { practiceId, name: data.name ?? "A group", partnerId: data.partnerId, usualVenue: data.usualVenue ?? "", languages: data.languages ?? [], usualTimes: data.usualTimes ?? "", linkToken: newLinkToken() } });
}

export async function makeSession(
  prisma: PrismaClient,
  practiceId: string,
  groupId: string,
  data: { startsAt: Date; endsAt?: Date; status?: "DRAFT" | "SCHEDULED" | "HELD" | "CANCELLED" | "POSTPONED"; facilitatorIds?: string[]; title?: string; onlineDetails?: string; online?: boolean },
) {
  return prisma.communitySession.create({
    data: {
      practiceId, groupId, title: data.title ?? "A session", startsAt: data.startsAt, endsAt: data.endsAt ?? new Date(data.startsAt.getTime() + 2 * 3600e3),
      status: data.status ?? "SCHEDULED", online: data.online ?? false, onlineDetails: data.onlineDetails ?? "", venueName: "Hall",
      facilitators: { create: (data.facilitatorIds ?? []).map((userId) => ({ practiceId, userId })) },
    },
  });
}

/** The value of the hidden version field on a page. */
export function versionIn(html: string): string {
  const m = html.match(/name="version" value="(\d+)"/);
  if (!m) throw new Error("no version field on the page");
  return m[1]!;
}

/** Only one section's fields of a session form body (as that section's own page posts them: sessions/draft.ts SECTIONS). */
export function sectionBody(body: Record<string, string | string[]>, key: SectionKey, overrides: Record<string, string | string[]> = {}) {
  const fields: readonly string[] = sectionOf(key)!.fields;
  const picked = Object.fromEntries(Object.entries(body).filter(([k]) => fields.includes(k.replace(/\[.*$/, ""))));
  return { ...picked, ...overrides };
}

/** The value of the hidden formId field on a page (the one of the form that posts to `action`, when given). */
export function formIdIn(html: string, action?: string): string {
  const form = action ? html.slice(html.indexOf(`action="${action}"`)) : html;
  const m = form.match(/name="formId" value="([0-9a-f-]{36})"/);
  if (!m) throw new Error("no formId field on the page");
  return m[1]!;
}
