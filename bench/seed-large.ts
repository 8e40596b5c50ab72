// The benchmark's data set: 50 practices, 5,000 sessions, 100,000 ideas and
// 300,000 responses, generated with @faker-js/faker (seeded, so every run makes
// the same data). Written with createMany in batches.
import crypto from "node:crypto";
import { faker } from "@faker-js/faker";
import type { Prisma, PrismaClient } from "../src/generated/prisma/client.js";
import type { Consent, IdeaStatus } from "../src/generated/prisma/enums.js";
import { DEFAULT_THEMES } from "../src/features/practices/service.js";
import { hashPassword } from "../src/lib/passwords.js";

export interface SeedSize {
  practices: number;
  sessionsPerPractice: number;
  ideasPerPractice: number;
  responsesPerIdea: number;
}
export const LARGE: SeedSize = { practices: 50, sessionsPerPractice: 100, ideasPerPractice: 2000, responsesPerIdea: 3 };
export const SMALL: SeedSize = { practices: 1, sessionsPerPractice: 2, ideasPerPractice: 10, responsesPerIdea: 3 };

export const BENCH_PASSWORD = "bench-manager-password";
export const managerEmail = (i: number) => `manager${i}@bench.example`;
export const practiceSlug = (i: number) => `bench-${i}`;

const DAY = 864e5;
const STATUSES: IdeaStatus[] = ["UNDER_CONSIDERATION", "PLANNED", "IN_PROGRESS", "DONE", "NOT_POSSIBLE"];

async function inBatches<T>(rows: T[], size: number, write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export async function seedLarge(prisma: PrismaClient, size: SeedSize, log: (s: string) => void = () => {}): Promise<void> {
  faker.seed(20261126);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const now = Date.now();
  for (let p = 0; p < size.practices; p++) {
    const practiceId = crypto.randomUUID();
    await prisma.practice.create({ data: { id: practiceId, name: `${faker.location.city()} Medical Practice ${p}`, odsCode: `B${String(p).padStart(5, "0")}`, slug: practiceSlug(p) } });
    const themeIds = DEFAULT_THEMES.map(() => crypto.randomUUID());
    await prisma.theme.createMany({ data: DEFAULT_THEMES.map((name, i) => ({ id: themeIds[i]!, practiceId, name, position: i + 1 })) });
    const managerId = crypto.randomUUID();
    await prisma.user.create({ data: { id: managerId, email: managerEmail(p), name: faker.person.fullName(), passwordHash } });
    await prisma.membership.create({ data: { practiceId, userId: managerId, role: "MANAGER", acceptedAt: new Date() } });
    const partnerIds = [0, 1, 2].map(() => crypto.randomUUID());
    await prisma.partnerOrganisation.createMany({ data: partnerIds.map((id) => ({ id, practiceId, name: faker.company.name() })) });
    const groupIds = [0, 1, 2, 3, 4].map(() => crypto.randomUUID());
    await prisma.communityGroup.createMany({
      data: groupIds.map((id, i) => ({ id, practiceId, partnerId: partnerIds[i % 3]!, name: `${faker.word.adjective()} community group ${i}`, linkToken: crypto.randomBytes(16).toString("base64url") })),
    });
    const sessions = Array.from({ length: size.sessionsPerPractice }, (_, i) => {
      const start = now - (i + 1) * 7 * DAY + faker.number.int({ min: 0, max: 5 }) * DAY;
      return {
        id: crypto.randomUUID(), practiceId, groupId: groupIds[i % groupIds.length]!, partnerId: partnerIds[i % 3]!,
        title: faker.lorem.sentence({ min: 3, max: 6 }), startsAt: new Date(start), endsAt: new Date(start + 2 * 3600e3), status: "HELD" as const,
        venueName: faker.location.street(), checklistSafety: i % 2 ? "Familiar venue" : "", checklistTrust: "Partner-led",
      };
    });
    await inBatches(sessions, 1000, (b) => prisma.communitySession.createMany({ data: b }));
    await prisma.sessionOutcome.createMany({ data: sessions.map((s) => ({ practiceId, sessionId: s.id, attendanceCount: faker.number.int({ min: 3, max: 25 }), isDraft: false })) });

    const ideas: Prisma.IdeaCreateManyInput[] = [];
    const responses: Prisma.ResponseCreateManyInput[] = [];
    for (let i = 0; i < size.ideasPerPractice; i++) {
      const s = sessions[i % sessions.length]!;
      const id = crypto.randomUUID();
      const consent: Consent = i % 10 < 6 ? "PUBLIC" : i % 10 < 8 ? "GROUP_ONLY" : "PRACTICE_ONLY";
      const created = s.endsAt.getTime();
      let status: IdeaStatus = "RECEIVED";
      let first: Date | null = null;
      let done: Date | null = null;
      let last = created;
      for (let r = 0; r < size.responsesPerIdea; r++) {
        last = last + faker.number.int({ min: 1, max: 20 }) * DAY;
        status = r === size.responsesPerIdea - 1 ? STATUSES[i % STATUSES.length]! : STATUSES[r % 3]!;
        first ??= new Date(last);
        if (status === "DONE") done = new Date(last);
        responses.push({ id: crypto.randomUUID(), practiceId, ideaId: id, status, text: faker.lorem.sentences(2), isPublic: r % 4 !== 3, authorId: managerId, authorRole: "MANAGER", createdAt: new Date(last) });
      }
      ideas.push({
        id, practiceId, sessionId: s.id, groupId: s.groupId, themeId: themeIds[i % themeIds.length]!, text: faker.lorem.sentences({ min: 1, max: 3 }),
        support: faker.number.int({ min: 0, max: 20 }), consent, status, dueAt: new Date(created + 28 * DAY), firstResponseAt: first, doneAt: done,
        publishedAt: consent === "PUBLIC" ? new Date(created + DAY) : null, publicUpdatedAt: consent === "PUBLIC" ? new Date(last) : null, createdAt: new Date(created),
      });
    }
    await inBatches(ideas, 2000, (b) => prisma.idea.createMany({ data: b }));
    await inBatches(responses, 3000, (b) => prisma.response.createMany({ data: b }));
    log(`seeded practice ${p + 1}/${size.practices}`);
  }
}
