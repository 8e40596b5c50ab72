import { beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { formIdIn, futureDate, makeGroup, makeSession, sectionBody, sessionForm, versionIn } from "../helpers/sessions.js";
import type { SectionKey } from "../../src/features/sessions/draft.js";
import { utcToLondonParts } from "../../src/lib/dates.js";
import { addUserToPractice } from "../../src/features/practices/service.js";

const { ctx, a, b, manager, facilitator, viewer } = withPractice({ practices: ["Sessions A", "Sessions B"], signIn: ["manager", "facilitator", "viewer"] });
let otherFacilitator: { agent: Agent; csrf: string; id: string };
let groupId: string;
let partnerId: string;
const HOUR = 3600e3;

beforeAll(async () => {
  const partner = await ctx.prisma.partnerOrganisation.create({ data: { practiceId: a.practice.id, name: "Refugee Women's Network" } });
  partnerId = partner.id;
  const group = await makeGroup(ctx.prisma, a.practice.id, { name: "Women's circle", partnerId, usualVenue: "St Mary's hall", languages: ["Arabic", "Farsi"], usualTimes: "Tuesday mornings" });
  groupId = group.id;
  const other = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email: "other-fac@example.test", name: "Other Facilitator", password: "correct-horse-battery", role: "FACILITATOR" });
  otherFacilitator = { ...(await signInAs(ctx.app, "other-fac@example.test", "correct-horse-battery")), id: other.id };
});

const count = () => ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id } });
const post = (who: { agent: Agent; csrf: string }, url: string, body: Record<string, unknown>) => who.agent.post(url).type("form").send({ _csrf: who.csrf, ...body });

describe("planning a session", () => {
  it("creates a draft with every field, times stored in UTC (summer time)", async () => {
    const body = sessionForm({ groupId, facilitatorIds: [a.facilitator.id, a.manager.id], date: [15, 7, 2030] }, { partnerId });
    const res = await post(manager, "/sessions", body);
    expect(res.status).toBe(303);
    const id = res.headers.location!.split("/").pop()!;
    const s = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id }, include: { facilitators: true } });
    expect(s.startsAt.toISOString()).toBe("2030-07-15T09:00:00.000Z");
    expect(s.endsAt.toISOString()).toBe("2030-07-15T11:00:00.000Z");
    expect(s.status).toBe("DRAFT");
    expect(s.partnerId).toBe(partnerId);
    expect(s.interpreterLanguages).toEqual(["Arabic", "Tigrinya"]);
    expect([s.supportTravel, s.supportChildcare, s.supportRefreshments]).toEqual([true, false, true]);
    expect(s.capacity).toBe(12);
    expect(s.practicePresence).toBe("NON_CLINICAL_ONLY");
    expect(s.checklistCulture).toBe("Women-only session");
    expect(s.facilitators.map((f) => f.userId).sort()).toEqual([a.facilitator.id, a.manager.id].sort());
    expect(await ctx.prisma.auditEvent.count({ where: { action: "session.create", entityId: id } })).toBe(1);
    const page = await manager.agent.get(`/sessions/${id}`);
    expect(page.text).toContain("10:00am to 12:00pm (UK time)");
  });

  it("stores a winter session at the same wall-clock time, an hour later in UTC", async () => {
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [14, 1, 2031] }));
    const s = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: res.headers.location!.split("/").pop()! } });
    expect(s.startsAt.toISOString()).toBe("2031-01-14T10:00:00.000Z");
  });

  it("saves once when the same form is submitted twice", async () => {
    const body = sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: "Double click" });
    const first = await post(manager, "/sessions", body);
    const second = await post(manager, "/sessions", body);
    expect(second.status).toBe(303);
    expect(second.headers.location!).toBe(first.headers.location!);
    expect(await ctx.prisma.communitySession.count({ where: { title: "Double click" } })).toBe(1);
  });

  it("schedules a session in the future straight away", async () => {
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { status: "SCHEDULED", title: "Scheduled now" }));
    expect(res.status).toBe(303);
    expect((await ctx.prisma.communitySession.findFirstOrThrow({ where: { title: "Scheduled now" } })).status).toBe("SCHEDULED");
  });

  it("proposes the group's usual venue, languages, partner and times", async () => {
    const res = await manager.agent.get(`/sessions/new?groupId=${groupId}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="venueName" name="venueName" type="text" value="St Mary&#39;s hall"/);
    expect(res.text).toContain('value="Arabic, Farsi"');
    expect(res.text).toMatch(new RegExp(`<option value="${partnerId}" selected>`));
    expect(res.text).toContain("usually prefers: Tuesday mornings");
    // Only the practice's active facilitators and managers are offered.
    expect(res.text).toContain(`value="${a.facilitator.id}"`);
    expect(res.text).not.toContain(`value="${a.viewer.id}"`);
    expect(res.text).not.toContain(`value="${b.facilitator.id}"`);
  });

  it("ignores an unknown or foreign group in the query", async () => {
    const res = await manager.agent.get(`/sessions/new?groupId=not-a-uuid`);
    expect(res.status).toBe(200);
  });
});

describe("bad input: field-level errors, input kept, nothing saved", () => {
  const cases: [string, Record<string, string | string[]>, string, string][] = [
    ["end before start", { startTime: "14:00", endTime: "13:00" }, "endTime", "End time must be after the start time"],
    ["31 February", { "startDate[day]": "31", "startDate[month]": "2", "startDate[year]": "2031" }, "startDate-day", "Date of the session must be a real date"],
    ["a scheduled session in the past", { "startDate[day]": "1", "startDate[month]": "1", "startDate[year]": "2020", status: "SCHEDULED" }, "startDate-day", "A scheduled session must start in the future"],
    ["capacity of zero", { capacity: "0" }, "capacity", "Capacity must be between 1 and 10,000"],
    ["capacity not whole", { capacity: "2.5" }, "capacity", "Capacity must be a whole number"],
    ["capacity not a number", { capacity: "lots" }, "capacity", "Capacity must be a whole number"],
    ["no title", { title: "  " }, "title", "Enter a title for the session"],
    ["a time that is not a time", { startTime: "25:00" }, "startTime", "Start time must be a real time"],
    ["an unknown group", { groupId: "00000000-0000-4000-8000-000000000000" }, "groupId", "Select a community group from the list"],
    ["an unknown facilitator", { facilitatorIds: ["00000000-0000-4000-8000-000000000000"] }, "facilitatorIds", "Select facilitators from this practice"],
    ["no facilitator", { facilitatorIds: [] }, "facilitatorIds", "Select at least one facilitator"],
    ["invited for part with no notes", { practicePresence: "INVITED_FOR_PART", practicePresenceNotes: "" }, "practicePresenceNotes", "Say who from the practice is invited"],
  ];
  for (const [name, overrides, field, message] of cases) {
    it(`refuses ${name}`, async () => {
      const before = await count();
      const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: "Kept title", ...overrides }));
      expect(res.status).toBe(400);
      expect(res.text).toContain("There is a problem");
      expect(res.text).toContain(`href="#${field}"`);
      expect(res.text).toContain(message);
      if (field !== "title") expect(res.text).toContain('value="Kept title"');
      expect(res.text).toContain("Step-free entrance");
      expect(await count()).toBe(before);
    });
  }

  it("refuses a facilitator from another practice", async () => {
    const before = await count();
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id, b.facilitator.id] }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select facilitators from this practice");
    expect(await count()).toBe(before);
  });

  it("refuses another practice's group", async () => {
    const foreign = await makeGroup(ctx.prisma, b.practice.id, { name: "B's group" });
    const before = await count();
    const res = await post(manager, "/sessions", sessionForm({ groupId: foreign.id, facilitatorIds: [a.facilitator.id] }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select a community group from the list");
    expect(await count()).toBe(before);
  });
});

describe("changing a session, one short section at a time (issue 17)", () => {
  const make = async (title: string, overrides: Record<string, string | string[]> = {}) => {
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title, ...overrides }));
    expect(res.status).toBe(303);
    return res.headers.location!.split("/").pop()!;
  };
  const full = () => sessionForm({ groupId, facilitatorIds: [a.facilitator.id] });
  /** Opens a section's page and posts it with that page's version and formId. */
  const saveSection = async (id: string, key: SectionKey, overrides: Record<string, string | string[]>, who = manager) => {
    const page = await who.agent.get(`/sessions/${id}/edit/${key}`);
    expect(page.status).toBe(200);
    return post(who, `/sessions/${id}/edit/${key}`, { ...sectionBody(full(), key, overrides), version: versionIn(page.text), formId: formIdIn(page.text) });
  };
  const row = (id: string) => ctx.prisma.communitySession.findUniqueOrThrow({ where: { id }, include: { facilitators: true } });

  it("opens a summary from the session's page; each section saves at once, audited, back to the summary with a banner", async () => {
    const id = await make("To change");
    const show = await manager.agent.get(`/sessions/${id}`);
    expect(show.text).toContain(`<a href="/sessions/${id}/edit">Change the session</a>`);
    const summary = await manager.agent.get(`/sessions/${id}/edit`);
    expect(summary.status).toBe(200);
    for (const text of ["Group and purpose", "When and where", "Facilitators", "Ground rules and confidentiality", "Access, support and checklist", "Community centre", "Women&#39;s circle", "10:00am to 12:00pm (UK time)", "Women-only session"]) {
      expect(summary.text).toContain(text);
    }
    expect(summary.text).toContain(`href="/sessions/${id}/edit/when-and-where#venueName"`);
    expect(summary.text).not.toContain('type="submit"'); // a summary, not the long form

    const changes: [SectionKey, Record<string, string | string[]>][] = [
      ["group", { title: "Renamed", partnerId }],
      ["when-and-where", { venueName: "The library" }],
      ["facilitators", { facilitatorIds: [a.manager.id, a.facilitator.id] }],
      ["ground-rules", { groundRules: "New rules" }],
      ["access", { capacity: "20", support: [] }],
    ];
    for (const [key, overrides] of changes) {
      const res = await saveSection(id, key, overrides);
      expect(res.status, key).toBe(303);
      expect(res.headers.location).toBe(`/sessions/${id}/edit`);
    }
    const back = await manager.agent.get(`/sessions/${id}/edit`);
    expect(back.text).toContain("Access, support and checklist: saved");
    expect(back.text).toContain("The library");
    const s = await row(id);
    expect(s).toMatchObject({ title: "Renamed", partnerId, venueName: "The library", groundRules: "New rules", capacity: 20, supportTravel: false, version: 6 });
    expect(s.facilitators.map((f) => f.userId).sort()).toEqual([a.manager.id, a.facilitator.id].sort());
    // Everything else as it was.
    expect(s).toMatchObject({ venueAddress: "1 High Street", checklistCulture: "Women-only session", confidentiality: "Nobody is named", purpose: "Talk about getting appointments", status: "DRAFT" });
    const audits = await ctx.prisma.auditEvent.findMany({ where: { action: "session.update", entityId: id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((e) => (e.details as { section: string }).section)).toEqual(changes.map(([k]) => k));
    expect((audits[0]!.details as { previous: { title: string } }).previous.title).toBe("To change");
  });

  const bad: [string, SectionKey, Record<string, string | string[]>, string, string, string][] = [
    ["no title", "group", { title: " ", purpose: "Kept purpose" }, "title", "Enter a title for the session", "Kept purpose"],
    ["end before start", "when-and-where", { startTime: "14:00", endTime: "13:00", venueName: "Kept venue" }, "endTime", "End time must be after the start time", 'value="Kept venue"'],
    ["no facilitator", "facilitators", { facilitatorIds: [] }, "facilitatorIds", "Select at least one facilitator", "Facilitators"],
    ["another practice's facilitator", "facilitators", { facilitatorIds: ["practice B's facilitator"] }, "facilitatorIds", "Select facilitators from this practice", "Facilitators"],
    ["invited for part with no notes", "ground-rules", { practicePresence: "INVITED_FOR_PART", practicePresenceNotes: "", groundRules: "Kept rules" }, "practicePresenceNotes", "Say who from the practice is invited", "Kept rules"],
    ["capacity not a number", "access", { capacity: "lots", supportOther: "Kept support" }, "capacity", "Capacity must be a whole number", 'value="Kept support"'],
  ];
  for (const [name, key, overrides, field, message, kept] of bad) {
    it(`refuses ${name} on its section: the error summary, the input kept, nothing changed`, async () => {
      const id = await make(`Bad ${name}`);
      const before = await row(id);
      const ids = overrides.facilitatorIds;
      const res = await saveSection(id, key, Array.isArray(ids) ? { facilitatorIds: ids.map((f) => (f === "practice B's facilitator" ? b.facilitator.id : f)) } : overrides);
      expect(res.status).toBe(400);
      expect(res.text).toContain("There is a problem");
      expect(res.text).toContain(`href="#${field}"`);
      expect(res.text).toContain(message);
      expect(res.text).toContain(kept);
      expect(await row(id)).toEqual(before);
    });
  }

  it("refuses moving a scheduled session into the past, but saves a held one's other changes", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 5 * 864e5), facilitatorIds: [a.facilitator.id] });
    const res = await saveSection(s.id, "when-and-where", { "startDate[day]": "1", "startDate[month]": "1", "startDate[year]": "2021", startTime: "10:00", endTime: "12:00", venueName: "Hall" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("A scheduled session must start in the future");
    expect(await row(s.id)).toMatchObject({ startsAt: s.startsAt, version: 1 });
    // Its venue alone: the date is not moved, so the rule does not apply.
    const held = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Math.floor(Date.now() / 6e4) * 6e4 - 5 * 864e5), status: "HELD", facilitatorIds: [a.facilitator.id] });
    const [start, end] = [utcToLondonParts(held.startsAt), utcToLondonParts(held.endsAt)];
    const venue = await saveSection(held.id, "when-and-where", {
      "startDate[day]": start.day, "startDate[month]": start.month, "startDate[year]": start.year, startTime: start.time, endTime: end.time, venueName: "Held hall",
    });
    expect(venue.status).toBe(303);
    expect(await row(held.id)).toMatchObject({ venueName: "Held hall", startsAt: held.startsAt, status: "HELD", version: 2 });
  });

  it("refuses a save from a page someone else saved after (409): theirs shown, mine kept, nothing overwritten", async () => {
    const id = await make("Two editors");
    const pageA = await manager.agent.get(`/sessions/${id}/edit/when-and-where`);
    const pageB = await manager.agent.get(`/sessions/${id}/edit/when-and-where`);
    const send = (page: string, venueName: string) =>
      post(manager, `/sessions/${id}/edit/when-and-where`, { ...sectionBody(full(), "when-and-where", { venueName }), version: versionIn(page), formId: formIdIn(page) });
    expect((await send(pageA.text, "Venue from A")).status).toBe(303);
    const stale = await send(pageB.text, "Venue from B");
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Someone else changed this session");
    expect(stale.text).toContain("Venue from A"); // what is saved now
    expect(stale.text).toContain('value="Venue from B"'); // what I typed
    expect(versionIn(stale.text)).toBe("2");
    expect(await row(id)).toMatchObject({ venueName: "Venue from A", version: 2 });
    // Saved again from the 409 page, on purpose: mine replaces theirs.
    expect((await send(stale.text, "Venue from B")).status).toBe(303);
    expect(await row(id)).toMatchObject({ venueName: "Venue from B", version: 3 });
    // A page with no version at all: refused, nothing changed.
    const none = await post(manager, `/sessions/${id}/edit/when-and-where`, sectionBody(full(), "when-and-where", { venueName: "No version" }));
    expect(none.status).toBe(400);
    expect(none.text).toContain("The page was out of date");
    expect((await row(id)).venueName).toBe("Venue from B");
  });

  it("saves once when the same section page is submitted twice, one after the other or at the same moment", async () => {
    const id = await make("Double save");
    const page = await manager.agent.get(`/sessions/${id}/edit/ground-rules`);
    const body = { ...sectionBody(full(), "ground-rules", { groundRules: "Once only" }), version: versionIn(page.text), formId: formIdIn(page.text) };
    const [first, second] = await Promise.all([post(manager, `/sessions/${id}/edit/ground-rules`, body), post(manager, `/sessions/${id}/edit/ground-rules`, body)]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const again = await post(manager, `/sessions/${id}/edit/ground-rules`, body); // back, and submit again
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/sessions/${id}/edit`);
    expect((await manager.agent.get(`/sessions/${id}/edit`)).text).toContain("already saved. Nothing was saved twice.");
    expect(await row(id)).toMatchObject({ groundRules: "Once only", version: 2 });
    expect(await ctx.prisma.auditEvent.count({ where: { action: "session.update", entityId: id } })).toBe(1);
    // A new page saved with nothing changed: nothing written, and said so.
    const same = await saveSection(id, "ground-rules", { groundRules: "Once only" });
    expect(same.status).toBe(303);
    expect((await manager.agent.get(`/sessions/${id}/edit`)).text).toContain("Ground rules and confidentiality: no changes to save");
    expect((await row(id)).version).toBe(2);
  });

  it("keeps someone assigned who is no longer a facilitator here on the list, and saving keeps them", async () => {
    const former = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email: "former-fac@example.test", name: "Former Facilitator", password: "correct-horse-battery", role: "FACILITATOR" });
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 11 * 864e5), facilitatorIds: [former.id, a.facilitator.id] });
    await ctx.prisma.membership.updateMany({ where: { practiceId: a.practice.id, userId: former.id }, data: { active: false } });
    const page = await manager.agent.get(`/sessions/${s.id}/edit/facilitators`);
    expect(page.text).toContain("Former Facilitator (no longer a facilitator here)");
    expect(page.text).toMatch(new RegExp(`value="${former.id}" checked`));
    expect((await saveSection(s.id, "facilitators", { facilitatorIds: [former.id, a.manager.id] })).status).toBe(303);
    expect((await row(s.id)).facilitators.map((f) => f.userId).sort()).toEqual([former.id, a.manager.id].sort());
  });

  it("refuses facilitators, viewers and another practice's manager, and an unknown section; nothing changed", async () => {
    const id = await make("Not yours");
    const before = await row(id);
    const body = (page = "") => ({ ...sectionBody(full(), "when-and-where", { venueName: "Hijacked" }), version: "1", formId: page });
    for (const who of [facilitator, viewer]) {
      expect((await who.agent.get(`/sessions/${id}/edit`)).status).toBe(403);
      expect((await who.agent.get(`/sessions/${id}/edit/when-and-where`)).status).toBe(403);
      expect((await post(who, `/sessions/${id}/edit/when-and-where`, body())).status).toBe(403);
    }
    expect((await manager.agent.get(`/sessions/${id}/edit/venue`)).status).toBe(404);
    expect((await post(manager, `/sessions/${id}/edit/venue`, body())).status).toBe(404);
    expect(await row(id)).toEqual(before);
    // Practice B's session, from practice A's manager: 404.
    const g = await makeGroup(ctx.prisma, b.practice.id);
    const theirs = await makeSession(ctx.prisma, b.practice.id, g.id, { startsAt: new Date(Date.now() + 864e5), title: "B's session" });
    expect((await manager.agent.get(`/sessions/${theirs.id}`)).status).toBe(404);
    expect((await manager.agent.get(`/sessions/${theirs.id}.ics`)).status).toBe(404);
    expect((await manager.agent.get(`/sessions/${theirs.id}/edit`)).status).toBe(404);
    expect((await manager.agent.get(`/sessions/${theirs.id}/edit/when-and-where`)).status).toBe(404);
    expect((await post(manager, `/sessions/${theirs.id}/edit/when-and-where`, body())).status).toBe(404);
    expect(await row(theirs.id)).toMatchObject({ title: "B's session", venueName: "Hall", version: 1 });
  });

  it("says where a session saved before today's checks needs putting right, and sends the user there", async () => {
    // No facilitator: made before the form asked for one.
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 9 * 864e5), title: "Old session" });
    expect((await manager.agent.get(`/sessions/${s.id}/edit`)).text).toContain("Select at least one facilitator");
    const venue = await saveSection(s.id, "when-and-where", { venueName: "New hall" });
    expect(venue.status).toBe(400);
    expect(venue.text).toContain(`href="/sessions/${s.id}/edit/facilitators#facilitatorIds"`);
    expect(venue.text).toContain("Facilitators: Select at least one facilitator");
    expect(venue.text).toContain('value="New hall"');
    expect((await row(s.id)).venueName).toBe("Hall");
    expect((await saveSection(s.id, "facilitators", { facilitatorIds: [a.facilitator.id] })).status).toBe(303);
    expect((await saveSection(s.id, "when-and-where", { venueName: "New hall" })).status).toBe(303);
    expect(await row(s.id)).toMatchObject({ venueName: "New hall", version: 3 });
  });
});

describe("facilitators", () => {
  it("see only the sessions assigned to them, and get 403 on others", async () => {
    const mine = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 2 * 864e5), title: "Mine to run", facilitatorIds: [a.facilitator.id] });
    const theirs = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 2 * 864e5), title: "Someone else's", facilitatorIds: [otherFacilitator.id] });
    const list = await facilitator.agent.get("/sessions");
    expect(list.text).toContain("Mine to run");
    expect(list.text).not.toContain("Someone else&#39;s");
    expect((await facilitator.agent.get(`/sessions/${mine.id}`)).status).toBe(200);
    expect((await facilitator.agent.get(`/sessions/${theirs.id}`)).status).toBe(403);
    expect((await facilitator.agent.get(`/sessions/${theirs.id}.ics`)).status).toBe(403);
    expect((await facilitator.agent.get(`/sessions/${theirs.id}/preparation`)).status).toBe(403);
    expect((await facilitator.agent.get(`/sessions/${mine.id}/edit`)).status).toBe(403);
    const refused = await post(facilitator, `/sessions/${theirs.id}/preparation`, { version: "1", preparationNotes: "Sneaky" });
    expect(refused.status).toBe(403);
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: theirs.id } })).preparationNotes).toBe("");
    // The viewer sees both, read only.
    const viewerList = await viewer.agent.get("/sessions");
    expect(viewerList.text).toContain("Mine to run");
    expect(viewerList.text).toContain("Someone else&#39;s");
  });

  it("can edit the preparation notes of their session, with a version check", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 3 * 864e5), facilitatorIds: [a.facilitator.id] });
    const form = await facilitator.agent.get(`/sessions/${s.id}/preparation`);
    expect(form.status).toBe(200);
    const ok = await post(facilitator, `/sessions/${s.id}/preparation`, { version: versionIn(form.text), preparationNotes: "Bring tissues and water" });
    expect(ok.status).toBe(303);
    const after = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.preparationNotes).toBe("Bring tissues and water");
    expect(after.version).toBe(2);
    const stale = await post(facilitator, `/sessions/${s.id}/preparation`, { version: versionIn(form.text), preparationNotes: "Overwrite" });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Bring tissues and water");
    expect(stale.text).toContain("Overwrite");
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } })).preparationNotes).toBe("Bring tissues and water");
  });
});

describe("the status flow", () => {
  it("offers and accepts only allowed transitions", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 7 * 864e5), status: "DRAFT" });
    const page = await manager.agent.get(`/sessions/${s.id}`);
    expect(page.text).toContain('name="status" type="radio" value="SCHEDULED"');
    expect(page.text).toContain('value="CANCELLED"');
    expect(page.text).not.toContain('value="HELD"');
    expect(page.text).not.toContain('value="POSTPONED"');
    // Draft straight to held: refused.
    const held = await post(manager, `/sessions/${s.id}/status`, { version: "1", status: "HELD" });
    expect(held.status).toBe(400);
    expect(held.text).toContain("A draft session cannot be marked as held");
    // Scheduled.
    expect((await post(manager, `/sessions/${s.id}/status`, { version: "1", status: "SCHEDULED" })).status).toBe(303);
    // Held before it has started: refused.
    const early = await post(manager, `/sessions/${s.id}/status`, { version: "2", status: "HELD" });
    expect(early.status).toBe(400);
    expect(early.text).toContain("only once it has started");
    // Postponed needs a reason.
    const noReason = await post(manager, `/sessions/${s.id}/status`, { version: "2", status: "POSTPONED", reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain("Enter why the session is postponed");
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } })).status).toBe("SCHEDULED");
    // A stale version: 409, nothing changes.
    const stale = await post(manager, `/sessions/${s.id}/status`, { version: "1", status: "CANCELLED", reason: "Venue closed" });
    expect(stale.status).toBe(409);
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } })).status).toBe("SCHEDULED");
    const cancelled = await post(manager, `/sessions/${s.id}/status`, { version: "2", status: "CANCELLED", reason: "Venue closed" });
    expect(cancelled.status).toBe(303);
    const after = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } });
    expect([after.status, after.statusReason, after.version]).toEqual(["CANCELLED", "Venue closed", 3]);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "session.status", entityId: s.id, details: { path: ["status"], equals: "CANCELLED" } } });
    expect((audit.details as { previous: { status: string } }).previous.status).toBe("SCHEDULED");
    // Cancelled is final: nothing is offered or accepted.
    const final = await manager.agent.get(`/sessions/${s.id}`);
    expect(final.text).not.toContain("Change the status");
    expect(final.text).toContain("Venue closed");
    expect((await post(manager, `/sessions/${s.id}/status`, { version: "3", status: "SCHEDULED" })).status).toBe(400);
  });

  it("lets a manager mark a started session as held, and offers the outcome link", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - HOUR), facilitatorIds: [a.facilitator.id] });
    const page = await facilitator.agent.get(`/sessions/${s.id}`);
    expect(page.text).toContain(`href="/sessions/${s.id}/outcome"`);
    expect((await post(manager, `/sessions/${s.id}/status`, { version: "1", status: "HELD" })).status).toBe(303);
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } })).status).toBe("HELD");
    expect((await post(facilitator, `/sessions/${s.id}/status`, { version: "2", status: "CANCELLED", reason: "x" })).status).toBe(403);
  });

  it("does not offer the outcome link before the session starts, nor scheduling a past draft", async () => {
    const future = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 864e5), facilitatorIds: [a.facilitator.id] });
    expect((await facilitator.agent.get(`/sessions/${future.id}`)).text).not.toContain("/outcome");
    const pastDraft = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 864e5), status: "DRAFT" });
    const page = await manager.agent.get(`/sessions/${pastDraft.id}`);
    expect(page.text).not.toContain('value="SCHEDULED"');
    const res = await post(manager, `/sessions/${pastDraft.id}/status`, { version: "1", status: "SCHEDULED" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("change its date first");
  });
});

describe("the briefing page and the list", () => {
  it("shows the agreement, checklist, venue access, interpreters and support", async () => {
    const created = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: "Briefing check" }));
    await manager.agent.get(created.headers.location!); // shows (and clears) the flash
    const res = await facilitator.agent.get(created.headers.location!);
    for (const text of ["Protected-space agreement", "Non-clinical practice staff only", "The practice manager, for the last 30 minutes", "Listen to each other", "Nobody is named", "Sam, partner organisation",
      "Trauma-informed checklist", "Quiet room available", "Women-only session", "Step-free entrance", "Arabic, Tigrinya", "Travel costs, Refreshments", "12 people", "FACILITATOR "]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).toContain("app-briefing");
  });

  it("formats noon as 12:00pm", async () => {
    const created = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [15, 7, 2030], start: "11:00", end: "12:00" }));
    const page = await manager.agent.get(created.headers.location!);
    expect(page.text).toContain("11:00am to 12:00pm (UK time)");
  });

  it("filters by group, facilitator and status, splits upcoming and past, and tolerates bad parameters", async () => {
    const g2 = await makeGroup(ctx.prisma, a.practice.id, { name: "Recovery cafe" });
    await makeSession(ctx.prisma, a.practice.id, g2.id, { startsAt: new Date(Date.now() + 864e5), title: "Cafe upcoming", status: "DRAFT", facilitatorIds: [otherFacilitator.id] });
    await makeSession(ctx.prisma, a.practice.id, g2.id, { startsAt: new Date(Date.now() - 10 * 864e5), title: "Cafe past", status: "HELD" });
    const byGroup = await manager.agent.get(`/sessions?groupId=${g2.id}`);
    expect(byGroup.text).toContain("Cafe upcoming");
    expect(byGroup.text).not.toContain("Cafe past");
    expect(byGroup.text).not.toContain("Briefing check");
    const past = await manager.agent.get(`/sessions?when=past&groupId=${g2.id}`);
    expect(past.text).toContain("Cafe past");
    expect(past.text).not.toContain("Cafe upcoming");
    const byStatus = await manager.agent.get(`/sessions?status=DRAFT&groupId=${g2.id}`);
    expect(byStatus.text).toContain("Cafe upcoming");
    expect((await manager.agent.get(`/sessions?status=SCHEDULED&groupId=${g2.id}`)).text).not.toContain("Cafe upcoming");
    const byFacilitator = await manager.agent.get(`/sessions?facilitatorId=${otherFacilitator.id}`);
    expect(byFacilitator.text).toContain("Cafe upcoming");
    expect(byFacilitator.text).not.toContain("Briefing check");
    const bad = await manager.agent.get("/sessions?page=-3&status=NOPE&groupId=x&facilitatorId=1");
    expect(bad.status).toBe(200);
  });

  it("paginates", async () => {
    const g3 = await makeGroup(ctx.prisma, a.practice.id, { name: "Paged group" });
    for (let i = 0; i < 23; i++) await makeSession(ctx.prisma, a.practice.id, g3.id, { startsAt: new Date(Date.now() + (i + 1) * HOUR * 24 * 100), title: `Paged ${String(i).padStart(2, "0")}` });
    const one = await manager.agent.get(`/sessions?groupId=${g3.id}`);
    expect(one.text).toContain("Paged 00");
    expect(one.text).not.toContain("Paged 22");
    expect(one.text).toContain(`/sessions?groupId=${g3.id}&amp;page=2`);
    const two = await manager.agent.get(`/sessions?groupId=${g3.id}&page=2`);
    expect(two.text).toContain("Paged 22");
    expect(two.text).not.toContain("Paged 00");
    expect((await manager.agent.get(`/sessions?groupId=${g3.id}&page=999`)).status).toBe(200);
  });
});

describe("the calendar file", () => {
  it("has UTC times in summer and winter, a title and location, and nothing private", async () => {
    const body = sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [20, 6, 2030], start: "18:30", end: "20:00" }, {
      title: "Summer evening", online: "no", purpose: "PRIVATE-PURPOSE", preparationNotes: "PRIVATE-NOTES", checklistSafety: "PRIVATE-CHECKLIST",
    });
    const summer = (await post(manager, "/sessions", body)).headers.location!;
    const res = await facilitator.agent.get(`${summer}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/calendar");
    expect(res.headers["content-disposition"]).toContain('filename="session-2030-06-20.ics"');
    const text = res.text;
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).toContain("DTSTART:20300620T173000Z");
    expect(text).toContain("DTEND:20300620T190000Z");
    expect(text).toContain("SUMMARY:Summer evening");
    expect(text).toContain("LOCATION:Community centre\\, 1 High Street");
    for (const secret of ["PRIVATE-PURPOSE", "PRIVATE-NOTES", "PRIVATE-CHECKLIST", "Sam"]) expect(text).not.toContain(secret);

    const winter = (await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [9, 12, 2030], start: "18:30", end: "20:00" }, { title: "Winter evening", online: "yes", onlineDetails: "https://meet.example/SECRET-ROOM" }))).headers.location!;
    const w = (await manager.agent.get(`${winter}.ics`)).text;
    expect(w).toContain("DTSTART:20301209T183000Z");
    expect(w).toContain("LOCATION:Online");
    expect(w).not.toContain("SECRET-ROOM");
  });
});

describe("the dashboard", () => {
  it("flags a scheduled session whose end has passed, and lists upcoming ones, with working links", async () => {
    const ended = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 5 * HOUR), title: "Ended, no outcome", facilitatorIds: [a.facilitator.id] });
    const soon = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 2 * HOUR), title: "Coming up soon", facilitatorIds: [a.facilitator.id] });
    const dash = await facilitator.agent.get("/dashboard");
    expect(dash.text).toContain(`href="/sessions/${ended.id}/outcome"`);
    expect(dash.text).toContain("Ended, no outcome");
    expect(dash.text).toContain(`href="/sessions/${soon.id}"`);
    expect((await facilitator.agent.get(`/sessions/${soon.id}`)).status).toBe(200);
  });
});

describe("dates entered", () => {
  it("keeps the typed date on error", async () => {
    const [d, m, y] = futureDate();
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [d, m, y] }, { endTime: "09:00" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="startDate-year" name="startDate[year]" type="text" inputmode="numeric" value="${y}"`);
  });
});
