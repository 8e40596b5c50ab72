// The outside tester's report on the public pages (2026-12-02), one describe per
// defect: right-to-left isolation of user text, the feed link's language, the
// status filter and the board's counts, the service name on the landing and 404
// pages, the empty search, and the poster's web address.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

const { ctx, a: f } = withPractice({ practices: ["Riverside QA Practice"] });
const WORDS = "Booking at the desk works. The Arabic form is easy.";
const GROUP = "Arabic-speaking women's group";
let slug: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const prisma = ctx.prisma;
  slug = f.practice.slug;
  const s = await createGroupAndSession(prisma, f);
  await prisma.communityGroup.update({ where: { id: s.group.id }, data: { name: GROUP } });
  const theme = await prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const base = { practiceId: f.practice.id, sessionId: s.session.id, groupId: s.group.id, themeId: theme.id, consent: "PUBLIC" as const, published: true };
  ids.done = (await createIdea(prisma, { ...base, text: "Book appointments at the desk", responses: [{ status: "DONE", text: "Ten appointments a day are kept for the desk.", daysAgo: 3 }] })).id;
  ids.inProgress = (await createIdea(prisma, { ...base, text: "Letters in our language", responses: [{ status: "IN_PROGRESS", text: "We asked the hospital.", daysAgo: 4 }] })).id;
  ids.planned = (await createIdea(prisma, { ...base, text: "A quiet room", responses: [{ status: "PLANNED", text: "Planned for spring.", daysAgo: 5 }] })).id;
  ids.waiting = (await createIdea(prisma, { ...base, text: "A woman interpreter", ageDays: 21 })).id;
  // The group answered the DONE idea's response at a later session, in English.
  await prisma.verdict.create({ data: { practiceId: f.practice.id, ideaId: ids.done, sessionId: s.session.id, groupId: s.group.id, kind: "ANSWERS", words: WORDS, saidAt: new Date(Date.now() - 86400000) } });
});

const get = (url: string) => request(ctx.app).get(url);

describe("defect 2: user text on Arabic pages is isolated, one unit in its own direction", () => {
  it("puts the verdict words in a block of their own with dir=auto, with no quotation marks around them", async () => {
    for (const url of [`/p/${slug}?lang=ar`, `/p/${slug}/ideas/${ids.done}?lang=ar`]) {
      const html = (await get(url)).text;
      expect(html, url).toContain(`<blockquote class="app-verdict-words"><p dir="auto">${WORDS.replace(/'/g, "&#39;")}</p></blockquote>`);
      // No quotation mark of any language next to the words (they landed mid-line when the words wrapped).
      expect(html, url).not.toMatch(/[«»“”]\s*<[^>]*>?\s*Booking/);
      expect(html, url).not.toMatch(/is easy\.<\/p><\/blockquote>\s*[«»“”]/);
    }
  });

  it("isolates idea text, response text, group and theme names on the board and the idea page", async () => {
    const board = (await get(`/p/${slug}?lang=ar`)).text;
    expect(board).toContain('<span class="app-user-block" dir="auto">Book appointments at the desk</span>');
    expect(board).toContain('<p class="nhsuk-card__description" dir="auto">Ten appointments a day are kept for the desk.</p>');
    expect(board).toContain(`<bdi class="app-name">Arabic-speaking women&#39;s group</bdi>`);
    expect(board).toContain('<bdi class="app-name">Access and appointments</bdi>');
    expect(board).toContain(`<bdi class="app-name">${f.practice.name}</bdi>`);
    // A name inside a translated sentence: the Unicode isolates (FSI … PDI), the plain-text form of <bdi>.
    expect(board).toContain(`\u2068${f.practice.name}\u2069`);
    const idea = (await get(`/p/${slug}/ideas/${ids.done}?lang=ar`)).text;
    expect(idea).toContain('<p class="nhsuk-body-l" dir="auto">Book appointments at the desk</p>');
    expect(idea).toContain('<p dir="auto">Ten appointments a day are kept for the desk.</p>');
    expect(idea).toContain(`<dd class="nhsuk-summary-list__value"><bdi class="app-name">Arabic-speaking women&#39;s group</bdi></dd>`);
    expect(idea).toContain('<dd class="nhsuk-summary-list__value"><bdi class="app-name">Access and appointments</bdi></dd>');
  });
});
