// The calendar across groups (/calendar), gaps per group, clashes of a
// facilitator's sessions, and the private calendar feeds (parsed with ical.js).
import { Writable } from "node:stream";
import ICAL from "ical.js";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { makeGroup, makeSession, sectionBody, sessionForm, versionIn } from "../helpers/sessions.js";
import { londonToUtc } from "../../src/lib/dates.js";
import { layOutMonth, monthOf } from "../../src/features/calendar/month.js";

type Who = { agent: Agent; csrf: string };
let ctx: TestContext;
let a: PracticeFixture;
let b: PracticeFixture;
let manager: Who;
let facilitator: Who;
let viewer: Who;
let otherManager: Who;
const logLines: string[] = [];

const post = (who: Who, url: string, body: Record<string, unknown>) => who.agent.post(url).type("form").send({ _csrf: who.csrf, ...body });
const london = (y: number, m: number, d: number, hour: number, minute = 0) => londonToUtc({ year: y, month: m, day: d }, { hour, minute });
const DAY = 864e5;

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
  ctx = await createTestContext({}, { logger: pino({ level: "info" }, sink) });
  a = await createPracticeWithStaff(ctx.prisma, "Calendar A");
  b = await createPracticeWithStaff(ctx.prisma, "Calendar B");
  manager = await signInAs(ctx.app, a.manager.email, a.manager.password);
  facilitator = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
  viewer = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
  otherManager = await signInAs(ctx.app, b.manager.email, b.manager.password);
});
afterAll(() => ctx?.close());

describe("the month view", () => {
  let mine: { id: string };
  let notMine: { id: string };
  beforeAll(async () => {
    const g1 = await makeGroup(ctx.prisma, a.practice.id, { name: "Women's circle" });
    const g2 = await makeGroup(ctx.prisma, a.practice.id, { name: "Recovery cafe" });
    const gb = await makeGroup(ctx.prisma, b.practice.id, { name: "Other practice group" });
    mine = await makeSession(ctx.prisma, a.practice.id, g1.id, { startsAt: london(2030, 6, 12, 10), title: "June listening", facilitatorIds: [a.facilitator.id] });
    notMine = await makeSession(ctx.prisma, a.practice.id, g2.id, { startsAt: london(2030, 6, 14, 18, 30), title: "June cafe chat", status: "DRAFT" });
    await makeSession(ctx.prisma, b.practice.id, gb.id, { startsAt: london(2030, 6, 15, 10), title: "Other practice session" });
    // Month edges in London time: 30 June 23:30 BST is 22:30 UTC (June); 1 July 00:30 BST is 30 June 23:30 UTC (July).
    await makeSession(ctx.prisma, a.practice.id, g1.id, { startsAt: london(2030, 6, 30, 23, 30), endsAt: london(2030, 7, 1, 0, 15), title: "Late June", facilitatorIds: [a.facilitator.id] });
    await makeSession(ctx.prisma, a.practice.id, g1.id, { startsAt: london(2030, 7, 1, 0, 30), title: "Early July", facilitatorIds: [a.facilitator.id] });
  });

  it("shows every session of the practice to managers and viewers: group, time, place, status and a link", async () => {
    for (const who of [manager, viewer]) {
      const res = await who.agent.get("/calendar?month=2030-06");
      expect(res.status).toBe(200);
      const html = res.text;
      expect(html).toContain("<h1>June 2030</h1>");
      expect(html).toContain(`href="/sessions/${mine.id}"`);
      expect(html).toContain(`href="/sessions/${notMine.id}"`);
      expect(html).toContain("Recovery cafe");
      expect(html).toContain("6:30pm to 8:30pm");
      expect(html).toContain("Hall");
      expect(html).toContain("Draft");
      expect(html).toContain("Wednesday 12 June 2030");
      expect(html).toContain("Late June");
      expect(html).not.toContain("Early July");
      expect(html).not.toContain("Other practice session");
    }
    const july = await manager.agent.get("/calendar?month=2030-07");
    expect(july.text).toContain("Early July");
    expect(july.text).not.toContain("Late June");
  });

  it("shows facilitators only the sessions they are assigned to", async () => {
    const html = (await facilitator.agent.get("/calendar?month=2030-06")).text;
    expect(html).toContain(`href="/sessions/${mine.id}"`);
    expect(html).not.toContain(`href="/sessions/${notMine.id}"`);
    expect(html).not.toContain("June cafe chat");
    expect(html).not.toContain("Recovery cafe");
    expect(html).not.toContain("When each group last met");
    expect((await otherManager.agent.get("/calendar?month=2030-06")).text).not.toContain("June listening");
  });

  it("moves by month, across the year, and marks today", async () => {
    const dec = (await manager.agent.get("/calendar?month=2030-12")).text;
    expect(dec).toContain('href="/calendar?month=2030-11"');
    expect(dec).toContain('href="/calendar?month=2031-01"');
    // The links name the months they go to (the heading names this one).
    expect(dec).toContain('<span class="nhsuk-u-visually-hidden">Previous month: </span>November 2030</a>');
    expect(dec).toContain('<span class="nhsuk-u-visually-hidden">Next month: </span>January 2031<span aria-hidden="true"> &rarr;</span></a>');
    expect(dec).toContain('href="/calendar"');
    const now = (await manager.agent.get("/calendar")).text;
    expect(now).toContain('aria-current="date"');
    expect(now).toContain("Today");
    expect(dec).not.toContain('aria-current="date"');
    // The grid: Monday first, the month's days only.
    const { weeks } = layOutMonth({ year: 2030, month: 6 }, [], new Date());
    expect(weeks[0]!.cells.slice(0, 5)).toEqual([null, null, null, null, null]); // 1 June 2030 is a Saturday
    expect(weeks[0]!.cells[5]!.day.label).toBe("Saturday 1 June 2030");
    expect(weeks.at(-1)!.cells[0]!.day.label).toBe("Monday 24 June 2030");
    expect(monthOf(london(2030, 7, 1, 0, 30))).toEqual({ year: 2030, month: 7 });
  });

  it("answers a bad month with a clear 400, not a crash", async () => {
    for (const q of ["2030-13", "2030-00", "june", "1999-12", "2030-6", "2030-06-01", "2101-01"]) {
      const res = await manager.agent.get(`/calendar?month=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(res.text).toContain("That month could not be shown");
    }
    expect((await manager.agent.get("/calendar?month=2030-01&month=2030-02")).status).toBe(400);
  });
});

describe("gaps per group", () => {
  it("shows each active group's last held and next planned session, flags those not met for longer than the setting, and lets a manager change it", async () => {
    const now = Date.now();
    const quiet = await makeGroup(ctx.prisma, a.practice.id, { name: "Quiet group" });
    const busy = await makeGroup(ctx.prisma, a.practice.id, { name: "Busy group" });
    await ctx.prisma.communityGroup.updateMany({ where: { id: { in: [quiet.id, busy.id] } }, data: { createdAt: new Date(now - 400 * DAY) } });
    await makeSession(ctx.prisma, a.practice.id, quiet.id, { startsAt: new Date(now - 130 * DAY), status: "HELD", title: "Long ago" });
    await makeSession(ctx.prisma, a.practice.id, quiet.id, { startsAt: new Date(now - 10 * DAY), status: "CANCELLED", title: "Cancelled, not held" });
    await makeSession(ctx.prisma, a.practice.id, busy.id, { startsAt: new Date(now - 20 * DAY), status: "HELD" });
    const next = await makeSession(ctx.prisma, a.practice.id, busy.id, { startsAt: new Date(now + 9 * DAY), status: "SCHEDULED" });
    const archived = await makeGroup(ctx.prisma, a.practice.id, { name: "Archived group" });
    await ctx.prisma.communityGroup.update({ where: { id: archived.id }, data: { archivedAt: new Date(), createdAt: new Date(now - 400 * DAY) } });

    const rowOf = (html: string, name: string) => html.slice(html.indexOf(name), html.indexOf("</tr>", html.indexOf(name)));
    const gapsOf = (html: string) => html.slice(html.indexOf('id="gaps"'));
    const cal = gapsOf((await manager.agent.get("/calendar")).text);
    expect(cal).toContain("When each group last met");
    expect(rowOf(cal, "Quiet group")).toContain("Not met for over 3 months");
    expect(rowOf(cal, "Busy group")).not.toContain("Not met for over");
    const { londonDate } = await import("../../src/features/calendar/month.js");
    expect(rowOf(cal, "Busy group")).toContain(londonDate(next.startsAt));
    expect(rowOf(cal, "Quiet group")).toContain(londonDate(new Date(now - 130 * DAY)));
    expect(cal).not.toContain("Archived group");
    const groups = (await manager.agent.get("/groups")).text;
    expect(rowOf(groups, "Quiet group")).toContain("Not met for over 3 months");
    expect(rowOf(groups, "Busy group")).toContain(londonDate(next.startsAt));
    expect((await viewer.agent.get("/calendar")).text).toContain("Not met for over 3 months");

    // Bad input: an error summary, the input kept, nothing changed.
    for (const bad of ["0", "25", "three", ""]) {
      const res = await post(manager, "/calendar/settings", { gapAlertMonths: bad });
      expect(res.status).toBe(400);
      expect(res.text).toContain("nhsuk-error-summary");
      expect(res.text).toContain(`value="${bad}"`);
    }
    expect((await ctx.prisma.practice.findUniqueOrThrow({ where: { id: a.practice.id } })).gapAlertMonths).toBe(3);
    expect((await post(facilitator, "/calendar/settings", { gapAlertMonths: "6" })).status).toBe(403);

    const saved = await post(manager, "/calendar/settings", { gapAlertMonths: "6" });
    expect([saved.status, saved.headers.location]).toEqual([303, "/calendar"]);
    const after = gapsOf((await manager.agent.get("/calendar")).text);
    expect(rowOf(after, "Quiet group")).not.toContain("Not met for over");
    expect(await ctx.prisma.auditEvent.count({ where: { practiceId: a.practice.id, action: "practice.gap-alert" } })).toBe(1);
    // Practice B is untouched.
    expect((await ctx.prisma.practice.findUniqueOrThrow({ where: { id: b.practice.id } })).gapAlertMonths).toBe(3);
    await post(manager, "/calendar/settings", { gapAlertMonths: "3" });
  });
});

describe("clashes", () => {
  it("warns (and saves) when a planned or edited session overlaps another of the same facilitator", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Clash group" });
    const existing = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 3, 10, 10), title: "Booked already", facilitatorIds: [a.facilitator.id] });
    await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 3, 10, 9), title: "Called off", status: "CANCELLED", facilitatorIds: [a.facilitator.id] });

    const res = await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [10, 3, 2031], start: "11:00", end: "13:00" }, { title: "Overlapping" }));
    expect(res.status).toBe(303);
    const page = (await manager.agent.get(res.headers.location!)).text;
    expect(page).toContain("Facilitator already booked");
    expect(page).toContain(`href="/sessions/${existing.id}"`);
    expect(page).toContain("Booked already");
    expect(page).not.toContain("Called off");
    expect(page).toContain(`FACILITATOR`); // the facilitator's name
    // The facilitator is warned too, of their own double booking, in their words; viewers are not.
    const own = (await facilitator.agent.get(res.headers.location!)).text;
    expect(own).toContain("You are already booked");
    expect(own).toContain("This session overlaps another of your sessions");
    expect(own).toContain(`href="/sessions/${existing.id}"`);
    expect(own).not.toContain("Called off");
    expect((await viewer.agent.get(res.headers.location!)).text).not.toContain("already booked");

    // Back to back is not a clash; another facilitator is not a clash.
    const adjacent = await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [10, 3, 2031], start: "14:00", end: "15:00" }, { title: "After" }));
    expect((await manager.agent.get(adjacent.headers.location!)).text).not.toContain("Facilitator already booked");
    const other = await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.manager.id], date: [10, 3, 2031], start: "10:30", end: "11:00" }, { title: "Manager runs it" }));
    expect((await manager.agent.get(other.headers.location!)).text).not.toContain("Facilitator already booked");

    // Editing a session into the clash warns on the next page too.
    const afterUrl = adjacent.headers.location!;
    const edit = await manager.agent.get(`${afterUrl}/edit/when-and-where`);
    const moved = await post(manager, `${afterUrl}/edit/when-and-where`, sectionBody(sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [10, 3, 2031], start: "10:30", end: "11:30" }), "when-and-where", { version: versionIn(edit.text) }));
    expect([moved.status, moved.headers.location]).toEqual([303, `${afterUrl}/edit`]);
    expect((await manager.agent.get(afterUrl)).text).toContain("Facilitator already booked");
  });
});

describe("clashes a facilitator sees", () => {
  it("are their own only: never another facilitator's other sessions, never on a session they are not assigned to", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Shared clash group" });
    // Run together by the facilitator and the manager; the manager alone is also booked at the same time elsewhere.
    const shared = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 5, 6, 10), title: "Run together", facilitatorIds: [a.facilitator.id, a.manager.id] });
    const managersOther = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 5, 6, 10, 30), title: "The manager's other booking", facilitatorIds: [a.manager.id] });
    const page = `/sessions/${shared.id}`;
    const forManager = (await manager.agent.get(page)).text;
    expect(forManager).toContain("Facilitator already booked");
    expect(forManager).toContain(`href="/sessions/${managersOther.id}"`);
    const forFacilitator = (await facilitator.agent.get(page)).text;
    expect(forFacilitator).not.toContain("already booked");
    expect(forFacilitator).not.toContain("The manager&#39;s other booking");
    // Once the facilitator has a clash of their own there, they see that one, and still not the manager's.
    const mine = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 5, 6, 11), title: "My other booking", facilitatorIds: [a.facilitator.id] });
    const now = (await facilitator.agent.get(page)).text;
    expect(now).toContain("You are already booked");
    expect(now).toContain(`href="/sessions/${mine.id}"`);
    expect(now).not.toContain(`href="/sessions/${managersOther.id}"`);
    expect(now).not.toContain("The manager&#39;s other booking");
  });
});

describe("private calendar feeds", () => {
  const tokenIn = (html: string) => {
    const m = html.match(/\/calendar\/feed\/([A-Za-z0-9_-]{43})\.ics/);
    if (!m) throw new Error("no feed address on the page");
    return m[1]!;
  };
  const feedOf = async (token: string) => {
    const res = await request(ctx.app).get(`/calendar/feed/${token}.ics`);
    return res;
  };
  const events = (text: string) => {
    const comp = new ICAL.Component(ICAL.parse(text));
    return comp.getAllSubcomponents("vevent").map((v) => {
      const e = new ICAL.Event(v);
      return { uid: e.uid, summary: e.summary, start: e.startDate.toJSDate(), end: e.endDate.toJSDate(), sequence: e.sequence, status: String(v.getFirstPropertyValue("status") ?? ""), location: e.location, description: e.description };
    });
  };

  it("holds the sessions its holder is assigned to, with London times right in summer and winter, and nothing private", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Feed group" });
    const made = await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [20, 6, 2031], start: "18:30", end: "20:00" }, {
      title: "Summer feed", purpose: "PRIVATE-PURPOSE", preparationNotes: "PRIVATE-NOTES", status: "SCHEDULED",
    }));
    const summerId = made.headers.location!.split("/").pop()!;
    await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [9, 12, 2031], start: "18:30", end: "20:00" }, { title: "Winter feed", online: "yes", onlineDetails: "https://meet.example/SECRET-ROOM", status: "SCHEDULED" }));
    // A session saved as a draft is staff-only (lib/visibility.ts): never in a calendar feed.
    await post(manager, "/sessions", sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [10, 12, 2031], start: "18:30", end: "20:00" }, { title: "Draft feed", status: "DRAFT" }));
    await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 7, 1, 10), title: "Not assigned to the facilitator" });

    const page = await post(facilitator, "/account/calendar", { scope: "ASSIGNED" });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toContain("no-store");
    expect(page.text).toContain("webcal://");
    const token = tokenIn(page.text);
    // Only a hash is stored.
    const stored = await ctx.prisma.calendarFeed.findFirstOrThrow({ where: { userId: a.facilitator.id } });
    expect(stored.tokenHash).not.toContain(token);
    expect(JSON.stringify(await ctx.prisma.calendarFeed.findMany())).not.toContain(token);
    // The page does not show it again.
    expect((await facilitator.agent.get("/account/calendar")).text).not.toContain(token);

    const res = await feedOf(token);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/calendar");
    expect(res.headers["set-cookie"]).toBeUndefined();
    const evs = events(res.text);
    const summer = evs.find((e) => e.summary === "Summer feed")!;
    const winter = evs.find((e) => e.summary === "Winter feed")!;
    expect(evs.some((e) => e.summary.includes("Draft feed"))).toBe(false);
    expect(summer.start.toISOString()).toBe("2031-06-20T17:30:00.000Z"); // 18:30 British Summer Time
    expect(summer.end.toISOString()).toBe("2031-06-20T19:00:00.000Z");
    expect(winter.start.toISOString()).toBe("2031-12-09T18:30:00.000Z"); // 18:30 Greenwich Mean Time
    expect(summer.uid).toBe(`${summerId}@ppg-coproduction`);
    expect(summer.status).toBe("CONFIRMED");
    expect(winter.location).toBe("Online");
    expect(summer.description).toContain("Feed group");
    expect(evs.some((e) => e.summary === "Not assigned to the facilitator")).toBe(false);
    for (const secret of ["PRIVATE-PURPOSE", "PRIVATE-NOTES", "SECRET-ROOM", "Sam", "Bring name badges", "Quiet room"]) expect(res.text).not.toContain(secret);

    // An update raises SEQUENCE with the same UID; a cancellation says CANCELLED.
    const edit = await manager.agent.get(`/sessions/${summerId}/edit/when-and-where`);
    const v = versionIn(edit.text);
    await post(manager, `/sessions/${summerId}/edit/when-and-where`, sectionBody(sessionForm({ groupId: g.id, facilitatorIds: [a.facilitator.id], date: [20, 6, 2031], start: "19:00", end: "20:30" }), "when-and-where", { version: v }));
    const updated = events((await feedOf(token)).text).find((e) => e.uid === summer.uid)!;
    expect(updated.sequence).toBeGreaterThan(summer.sequence);
    expect(updated.start.toISOString()).toBe("2031-06-20T18:00:00.000Z");
    const show = await manager.agent.get(`/sessions/${summerId}`);
    await post(manager, `/sessions/${summerId}/status`, { version: versionIn(show.text), status: "CANCELLED", reason: "Venue closed" });
    const cancelled = events((await feedOf(token)).text).find((e) => e.uid === summer.uid)!;
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.sequence).toBeGreaterThan(updated.sequence);

    // Rotation: the old address is 404 at once, the new one works.
    const rotated = await post(facilitator, "/account/calendar", { scope: "ASSIGNED" });
    const newToken = tokenIn(rotated.text);
    expect(newToken).not.toBe(token);
    expect((await feedOf(token)).status).toBe(404);
    expect((await feedOf(newToken)).status).toBe(200);
    // Revocation: 404 at once.
    const revoked = await post(facilitator, "/account/calendar/revoke", { scope: "ASSIGNED" });
    expect([revoked.status, revoked.headers.location]).toEqual([303, "/account/calendar"]);
    expect((await feedOf(newToken)).status).toBe(404);
    expect(await ctx.prisma.calendarFeed.count({ where: { userId: a.facilitator.id } })).toBe(0);

    // No feed token ever reaches the log, also URL-encoded in ?next=.
    await request(ctx.app).get(`/login?next=${encodeURIComponent(`/calendar/feed/${newToken}.ics`)}`);
    const log = logLines.join("");
    expect(log).toContain("%2Fcalendar%2Ffeed%2F[token]");
    expect(log).toContain("/calendar/feed/[token]");
    for (const t of [token, newToken]) expect(log).not.toContain(t);
  });

  it("gives managers the whole practice, only while they are managers; others cannot ask for it", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Practice feed group" });
    await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: london(2031, 1, 15, 10), title: "Nobody assigned" });
    const gb = await makeGroup(ctx.prisma, b.practice.id, { name: "B group" });
    await makeSession(ctx.prisma, b.practice.id, gb.id, { startsAt: london(2031, 1, 15, 10), title: "Practice B only" });

    expect((await post(facilitator, "/account/calendar", { scope: "PRACTICE" })).status).toBe(403);
    expect((await post(viewer, "/account/calendar", { scope: "PRACTICE" })).status).toBe(403);
    const bad = await post(manager, "/account/calendar", { scope: "EVERYTHING" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("nhsuk-error-summary");

    const ownPage = (await post(manager, "/account/calendar", { scope: "ASSIGNED" })).text;
    const allPage = (await post(manager, "/account/calendar", { scope: "PRACTICE" })).text;
    // A manager has two feeds: the address shown once says which one it is.
    expect(ownPage).toContain("The address of the feed of <strong>your sessions</strong>.");
    expect(allPage).toContain("The address of the feed of <strong>all the practice&#39;s sessions</strong>.");
    const own = tokenIn(ownPage);
    const all = tokenIn(allPage);
    expect(events((await feedOf(own)).text).some((e) => e.summary === "Nobody assigned")).toBe(false);
    const whole = (await feedOf(all)).text;
    expect(events(whole).some((e) => e.summary === "Nobody assigned")).toBe(true);
    expect(whole).not.toContain("Practice B only");
    const accountPage = (await manager.agent.get("/account/calendar")).text;
    expect(accountPage).toContain("All the practice");
    expect(accountPage).toContain("Turn off this feed");

    // No longer a manager: the whole-practice feed stops; deactivated: every feed stops.
    await ctx.prisma.membership.update({ where: { practiceId_userId: { practiceId: a.practice.id, userId: a.manager.id } }, data: { role: "FACILITATOR" } });
    expect((await feedOf(all)).status).toBe(404);
    expect((await feedOf(own)).status).toBe(200);
    await ctx.prisma.membership.update({ where: { practiceId_userId: { practiceId: a.practice.id, userId: a.manager.id } }, data: { role: "MANAGER", active: false } });
    expect((await feedOf(own)).status).toBe(404);
    await ctx.prisma.membership.update({ where: { practiceId_userId: { practiceId: a.practice.id, userId: a.manager.id } }, data: { active: true } });
    expect((await feedOf(all)).status).toBe(200);

    // Malformed and unknown tokens are 404.
    for (const t of ["short", "A".repeat(43), "../../etc"]) expect((await feedOf(t)).status).toBe(404);
  });
});
