// A living demo practice for a newcomer: groups, partners, sessions, ideas,
// responses, and the group answering back at a later session (verdicts, one of
// them reopening an idea; an Arabic translation by an interpreter). Run on first start of the embedded database, or by
// `npm run db:seed`. Idempotent: does nothing when the demo practice exists.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Consent, IdeaStatus, VerdictKind } from "../generated/prisma/enums.js";
import { addUserToPractice, createPractice, newLinkToken } from "../features/practices/service.js";
import { londonToUtc, utcToLondonParts } from "../lib/dates.js";

export const DEMO_ACCOUNTS = [
  { email: "manager@riverside.example", password: "riverside-manager-demo", role: "MANAGER", name: "Sam Okafor" },
  { email: "facilitator@refugee-network.example", password: "facilitator-demo-pass", role: "FACILITATOR", name: "Leila Haddad" },
  { email: "viewer@riverside.example", password: "riverside-viewer-demo", role: "VIEWER", name: "Chris Patel" },
] as const;

const DAY = 24 * 3600 * 1000;

/** A round London time `days` from `now` (sessions start on the hour, as people book them). */
function at(now: Date, days: number, hour: number): Date {
  const p = utcToLondonParts(new Date(now.getTime() + days * DAY));
  return londonToUtc({ year: Number(p.year), month: Number(p.month), day: Number(p.day) }, { hour, minute: 0 });
}

export async function seedDemo(prisma: PrismaClient, now = new Date()): Promise<{ seeded: boolean; accounts: typeof DEMO_ACCOUNTS }> {
  if (await prisma.practice.findUnique({ where: { slug: "riverside" } })) return { seeded: false, accounts: DEMO_ACCOUNTS };

  const practice = await createPractice(prisma, {
    name: "Riverside Health Centre",
    odsCode: "X99001",
    slug: "riverside",
    address: "1 River Street, Exampleton",
  });
  const other = await createPractice(prisma, { name: "Hillview Surgery", odsCode: "X99002", slug: "hillview", address: "Hill Road, Exampleton" });
  const users: Record<string, string> = {};
  for (const a of DEMO_ACCOUNTS) {
    const u = await addUserToPractice(prisma, { practiceId: practice.id, email: a.email, name: a.name, password: a.password, role: a.role });
    users[a.role] = u.id;
  }
  // The facilitator works with two practices (a charity often does).
  await addUserToPractice(prisma, { practiceId: other.id, email: DEMO_ACCOUNTS[1].email, name: DEMO_ACCOUNTS[1].name, role: "FACILITATOR" });

  const themes = await prisma.theme.findMany({ where: { practiceId: practice.id }, orderBy: { position: "asc" } });
  const theme = (name: string) => themes.find((t) => t.name.startsWith(name))!.id;

  const network = await prisma.partnerOrganisation.create({
    data: { practiceId: practice.id, name: "Exampleton Women's Refugee Network", contactName: "Amal (coordinator)", contactEmail: "hello@refugee-network.example", notes: "Runs a weekly drop-in on Wednesdays with a crèche." },
  });
  const housing = await prisma.partnerOrganisation.create({
    data: { practiceId: practice.id, name: "Streetlight Housing Trust", contactName: "Duty worker", contactPhone: "01632 960000", notes: "Day centre open 8am to 2pm." },
  });
  const women = await prisma.communityGroup.create({
    data: {
      practiceId: practice.id, partnerId: network.id, name: "Arabic-speaking women's group",
      description: "Women who have come to the UK as refugees or asylum seekers, many with young children.",
      languages: ["Arabic", "Kurdish Sorani"], readingLanguages: ["ar"], accessNeeds: "Crèche needed; step-free access; female interpreter.",
      usualTimes: "Wednesday mornings in term time", usualVenue: "Riverside Community Centre, Room 2", linkToken: newLinkToken(),
    },
  });
  const breakfast = await prisma.communityGroup.create({
    data: {
      practiceId: practice.id, partnerId: housing.id, name: "Breakfast club at the day centre",
      description: "People experiencing homelessness who use the Streetlight day centre.",
      languages: ["English", "Polish"], accessNeeds: "Keep it informal; no forms; food first.",
      usualTimes: "Friday breakfast, 9am", usualVenue: "Streetlight day centre", linkToken: newLinkToken(),
    },
  });

  const agreement = {
    practicePresence: "NON_CLINICAL_ONLY" as const,
    practicePresenceNotes: "The practice manager joins for the last 20 minutes only, to listen.",
    groundRules: "One voice at a time. Nobody has to speak. What is said about individuals stays in the room.",
    confidentiality: "Nothing recorded identifies anyone. Ideas are written in the group's own words and only shared as the group agrees.",
    safeguardingLead: "Network coordinator (Amal)",
    checklistSafety: "Familiar room, crèche on site, women-only.",
    checklistTrust: "Run by the Network's own facilitator; the practice is a guest.",
    checklistChoice: "People can come and go, speak or stay quiet.",
    checklistCollaboration: "The group chose the topics.",
    checklistEmpowerment: "The group decides what may be shared.",
    checklistCulture: "Arabic and Sorani interpreters, halal refreshments.",
  };
  const held = await prisma.communitySession.create({
    data: {
      practiceId: practice.id, groupId: women.id, partnerId: network.id, title: "Getting an appointment", purpose: "What makes it hard to see a GP, and what would help.",
      startsAt: at(now, -42, 10), endsAt: at(now, -42, 12),
      venueName: "Riverside Community Centre", venueAddress: "River Street, Exampleton", venueAccessibility: "Step-free, accessible toilet.",
      interpreterLanguages: ["Arabic", "Kurdish Sorani"], supportChildcare: true, supportRefreshments: true, supportTravel: true, capacity: 20,
      status: "HELD", ...agreement,
      facilitators: { create: [{ practiceId: practice.id, userId: users.FACILITATOR! }] },
    },
  });
  await prisma.sessionOutcome.create({
    data: {
      practiceId: practice.id, sessionId: held.id, attendanceCount: 14, isDraft: false, createdById: users.FACILITATOR!,
      themesDiscussed: "Phone queues at 8am; interpreters; letters in English.",
      processReflection: "Good energy. Next time start with food and finish earlier for school pick-up.",
      privateReflections: "Two women were upset talking about reception; followed up with the Network.",
    },
  });
  await prisma.communitySession.create({
    data: {
      practiceId: practice.id, groupId: breakfast.id, partnerId: housing.id, title: "Registering without an address", purpose: "Hear what stops people registering.",
      startsAt: at(now, -5, 9), endsAt: at(now, -5, 10),
      venueName: "Streetlight day centre", supportRefreshments: true, status: "SCHEDULED", ...agreement, practicePresence: "NONE",
      facilitators: { create: [{ practiceId: practice.id, userId: users.FACILITATOR! }] },
    },
  });
  // The women's group's later sessions: the same room, an Arabic interpreter, a crèche.
  const atTheCentre = {
    practiceId: practice.id, groupId: women.id, partnerId: network.id,
    venueName: "Riverside Community Centre", interpreterLanguages: ["Arabic"], supportChildcare: true, supportRefreshments: true, capacity: 20, ...agreement,
    facilitators: { create: [{ practiceId: practice.id, userId: users.FACILITATOR! }] },
  };
  await prisma.communitySession.create({
    data: {
      ...atTheCentre, title: "Follow-up: what changed", purpose: "Tell the group what the practice did and hear what is still not working.",
      startsAt: at(now, 14, 10), endsAt: at(now, 14, 12), status: "SCHEDULED",
    },
  });

  // A week ago the facilitator read the practice's answers back to the group (the report-back list):
  // what the group said about each is below, with the ideas.
  const reportBack = await prisma.communitySession.create({
    data: {
      ...atTheCentre, title: "Report back: the first answers", purpose: "Read the practice's answers to the group and hear whether they answer what was said.",
      startsAt: at(now, -7, 10), endsAt: at(now, -7, 11), status: "HELD",
    },
  });
  await prisma.sessionOutcome.create({
    data: {
      practiceId: practice.id, sessionId: reportBack.id, attendanceCount: 11, isDraft: false, createdById: users.FACILITATOR!,
      themesDiscussed: "The practice's answers on booking, letters and interpreters.",
      processReflection: "Reading the answers aloud in Arabic worked well; the group wants the letters answer followed up.",
    },
  });

  const due = new Date(held.endsAt.getTime() + practice.responseDeadlineDays * DAY);
  const ideas: { text: string; theme: string; support: number; consent: Consent; publish: boolean; responses: { status: IdeaStatus; text: string; days: number; isPublic?: boolean; arabic?: string }[];
    /** What the group said about the latest public answer at the report-back session. */
    verdict?: { kind: VerdictKind; words?: string } }[] = [
    { text: "When we phone at 8 o'clock the line is busy and then there are no appointments left. We want to book in person or online in Arabic.", theme: "Access", support: 12, consent: "PUBLIC", publish: true,
      responses: [
        { status: "UNDER_CONSIDERATION", text: "Thank you. We are looking at keeping some appointments for booking in person every morning.", days: 7 },
        { status: "DONE", text: "From Monday, 10 appointments each morning can be booked at the front desk, and the online form now works in Arabic.", days: 30,
          arabic: "ابتداءً من يوم الاثنين، يمكن حجز 10 مواعيد كل صباح في مكتب الاستقبال، ونموذج الحجز على الإنترنت يعمل الآن باللغة العربية." },
      ],
      verdict: { kind: "ANSWERS", words: "Booking at the desk works. The Arabic form is easy." } },
    { text: "Letters from the hospital come in English and we do not know what they say.", theme: "Communication", support: 10, consent: "PUBLIC", publish: true,
      responses: [{ status: "IN_PROGRESS", text: "We have asked the hospital to send letters in the patient's language. Until then, bring your letter and we will book an interpreter to explain it.", days: 14 }],
      verdict: { kind: "NOT_YET", words: "The letters still come in English. At the desk nobody knew we could bring them for an interpreter." } },
    { text: "We would like a woman interpreter when we see the doctor about women's health.", theme: "Interpreting", support: 13, consent: "PUBLIC", publish: true,
      responses: [{ status: "PLANNED", text: "We will ask for a female interpreter whenever you tell us you want one. Reception will add this to your record.", days: 20 }],
      verdict: { kind: "PARTLY" } },
    { text: "The receptionist shouted when I did not understand.", theme: "Staff attitudes", support: 6, consent: "GROUP_ONLY", publish: false,
      responses: [{ status: "UNDER_CONSIDERATION", text: "We are sorry. All reception staff will have training on working with interpreters.", days: 10, isPublic: true }] },
    { text: "A quiet place to wait with children.", theme: "Reception", support: 8, consent: "PRACTICE_ONLY", publish: false, responses: [] },
  ];
  let position = 0;
  for (const i of ideas) {
    const idea = await prisma.idea.create({
      data: {
        practiceId: practice.id, sessionId: held.id, groupId: women.id, themeId: theme(i.theme), text: i.text, support: i.support, consent: i.consent,
        dueAt: due, position: position++, createdAt: held.endsAt,
        publishedAt: i.publish ? new Date(held.endsAt.getTime() + 8 * DAY) : null, publishedById: i.publish ? users.MANAGER! : null,
      },
    });
    let last: { status: IdeaStatus; at: Date } | undefined;
    let first: Date | undefined;
    let done: Date | undefined;
    for (const r of i.responses) {
      const at = new Date(held.endsAt.getTime() + r.days * DAY);
      await prisma.response.create({
        data: { practiceId: practice.id, ideaId: idea.id, status: r.status, text: r.text, isPublic: r.isPublic ?? true, authorId: users.MANAGER!, authorRole: "MANAGER", createdAt: at },
      });
      first ??= at;
      if (r.status === "DONE") done = at;
      last = { status: r.status, at };
    }
    const latestPublic = await prisma.response.findFirst({ where: { ideaId: idea.id, isPublic: true }, orderBy: { createdAt: "desc" }, select: { id: true } });
    for (const r of i.responses) {
      if (!r.arabic) continue;
      const response = await prisma.response.findFirstOrThrow({ where: { ideaId: idea.id, text: r.text }, select: { id: true, createdAt: true } });
      await prisma.responseTranslation.create({
        data: { practiceId: practice.id, responseId: response.id, ideaId: idea.id, language: "ar", text: r.arabic, translatorRole: "INTERPRETER", createdById: users.MANAGER!, createdAt: new Date(response.createdAt.getTime() + DAY) },
      });
    }
    if (i.verdict) {
      await prisma.verdict.create({
        data: {
          practiceId: practice.id, ideaId: idea.id, sessionId: reportBack.id, groupId: women.id, kind: i.verdict.kind, words: i.verdict.words ?? "",
          responseId: latestPublic?.id ?? null, saidAt: reportBack.startsAt, createdById: users.FACILITATOR!, createdAt: reportBack.endsAt,
        },
      });
    }
    if (last) {
      await prisma.idea.update({
        where: { id: idea.id },
        data: { status: last.status, firstResponseAt: first!, doneAt: done ?? null, publicUpdatedAt: i.publish ? last.at : null },
      });
    }
  }
  return { seeded: true, accounts: DEMO_ACCOUNTS };
}
