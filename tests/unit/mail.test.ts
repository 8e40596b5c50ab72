// The mail settings and the words of each e-mail (pure code; the sending is in
// tests/integration/mail.test.ts against a real SMTP server).
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { digestMail, invitationMail, londonSpan, reminderMail, sessionCancelledMail, sessionUnassignedMail, type SessionFacts } from "../../src/features/mail/compose.js";
import { changedParts, weekOf } from "../../src/features/mail/service.js";

describe("mail settings", () => {
  const cases: [Record<string, string>, string | { smtpUrl?: string; from: string }][] = [
    [{}, { from: "PPG workspace <no-reply@localhost.invalid>" }],
    [{ SMTP_URL: "", MAIL_FROM: "" }, { from: "PPG workspace <no-reply@localhost.invalid>" }],
    [{ SMTP_URL: "smtp://u:p%40ss@mail.example.org:587", MAIL_FROM: "PPG <ppg@example.nhs.uk>" }, { smtpUrl: "smtp://u:p%40ss@mail.example.org:587", from: "PPG <ppg@example.nhs.uk>" }],
    [{ SMTP_URL: "smtps://mail.example.org", MAIL_FROM: "ppg@example.nhs.uk" }, { smtpUrl: "smtps://mail.example.org", from: "ppg@example.nhs.uk" }],
    [{ SMTP_URL: "smtp://mail.example.org" }, "Invalid environment variable MAIL_FROM: required when SMTP_URL is set"],
    [{ SMTP_URL: "https://mail.example.org", MAIL_FROM: "a@b.org" }, "Invalid environment variable SMTP_URL: must be a URL like"],
    [{ SMTP_URL: "mail.example.org:587", MAIL_FROM: "a@b.org" }, "Invalid environment variable SMTP_URL"],
    [{ MAIL_FROM: "not an address" }, "Invalid environment variable MAIL_FROM: must be an e-mail address"],
    [{ MAIL_FROM: "Two <a@b.org> <c@d.org>" }, "Invalid environment variable MAIL_FROM"],
  ];
  it.each(cases)("%j", (env, want) => {
    if (typeof want === "string") {
      expect(() => loadConfig(env)).toThrow(want);
    } else {
      expect(loadConfig(env).mail).toEqual({ smtpUrl: undefined, worker: true, ...want });
    }
  });
  it("never echoes the SMTP password in its error", () => {
    expect(() => loadConfig({ SMTP_URL: "ftp://user:secret-pass@h.example.org", MAIL_FROM: "a@b.org" })).toThrow(/^(?!.*secret-pass)/s);
  });
});

const session = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  id: "0b9c7f7e-9a4e-4a43-8d5e-0c5b1d1e2f3a", title: "Listening session", groupName: "Walking group",
  startsAt: new Date("2026-07-02T13:00:00Z"), endsAt: new Date("2026-07-02T15:00:00Z"),
  online: false, venueName: "Community hall", venueAddress: "1 High Street", status: "SCHEDULED", version: 1, ...over,
});

describe("the words of each e-mail", () => {
  it("gives UK times in summer and in winter", () => {
    expect(londonSpan(new Date("2026-07-02T13:00:00Z"), new Date("2026-07-02T15:00:00Z"))).toBe("Thursday 2 July 2026, 2:00pm to 4:00pm (UK time)");
    expect(londonSpan(new Date("2026-12-03T13:00:00Z"), new Date("2026-12-03T15:00:00Z"))).toBe("Thursday 3 December 2026, 1:00pm to 3:00pm (UK time)");
  });

  it("reminds with the briefing link and a calendar file, online sessions without joining details", () => {
    const m = reminderMail({ practiceName: "Riverside", session: session(), base: "https://ppg.example.nhs.uk" });
    expect(m.subject).toBe("Reminder: Listening session on Thursday 2 July 2026");
    expect(m.text).toContain("https://ppg.example.nhs.uk/sessions/0b9c7f7e-9a4e-4a43-8d5e-0c5b1d1e2f3a");
    expect(m.text).toContain("Where: Community hall, 1 High Street");
    expect(String(m.attachments?.[0]?.content)).toContain("DTSTART:20260702T130000Z");
    expect(m.attachments?.[0]?.filename).toBe("session-2026-07-02.ics");
    const online = reminderMail({ practiceName: "Riverside", session: session({ online: true }), base: "https://x.example" });
    expect(online.text).toContain("Online (the joining details are in the briefing)");
  });

  it("tells a facilitator taken off a session, without the briefing link or a calendar file", () => {
    const m = sessionUnassignedMail({ practiceName: "R", session: session(), base: "https://x.example" });
    expect(m.subject).toBe("Changed: you are no longer assigned to Listening session on Thursday 2 July 2026");
    expect(m.text).toContain("You are no longer assigned to a protected community session with Walking group");
    expect(m.text).toContain("When: Thursday 2 July 2026, 2:00pm to 4:00pm (UK time)");
    expect(m.text).not.toContain("/sessions/");
    expect(m.attachments).toBeUndefined();
    expect(m.headers).toMatchObject({ "Auto-Submitted": "auto-generated" });
  });

  it("says cancelled or postponed, and the cancellation's calendar file cancels", () => {
    expect(sessionCancelledMail({ practiceName: "R", session: session({ status: "POSTPONED" }), base: "https://x.example" }).subject).toMatch(/^Postponed: /);
    const c = sessionCancelledMail({ practiceName: "R", session: session({ status: "CANCELLED" }), base: "https://x.example" });
    expect(c.subject).toMatch(/^Cancelled: /);
    expect(String(c.attachments?.[0]?.content)).toContain("STATUS:CANCELLED");
  });

  it("counts in the digest in plain English, singular and plural", () => {
    expect(digestMail({ practiceName: "R", overdueIdeas: 1, awaitingOutcome: 0, base: "https://x.example" }).subject).toBe("This week at R: 1 overdue idea, 0 sessions waiting for an outcome");
    expect(digestMail({ practiceName: "R", overdueIdeas: 3, awaitingOutcome: 1, base: "https://x.example" }).text).toContain("- 3 ideas are overdue");
  });

  it("invites with the link and its expiry", () => {
    const m = invitationMail({ practiceName: "Riverside", link: "https://x.example/invitations/abc", expiresAt: new Date("2026-12-08T10:30:00Z"), roleName: "facilitator" });
    expect(m.text).toContain("https://x.example/invitations/abc");
    expect(m.text).toContain("until Tuesday 8 December 2026 at 10:30am (UK time)");
    expect(m.headers).toBeUndefined(); // a person's invitation, not an automatic notice
  });
});

describe("what counts as a change, and the digest's week", () => {
  const base = { title: "T", startsAt: new Date(1e12), endsAt: new Date(1e12 + 7.2e6), online: false, venueName: "Hall", venueAddress: "" };
  it.each([
    [{}, []],
    [{ startsAt: new Date(1e12 + 3.6e6) }, ["time"]],
    [{ venueName: "Library", title: "U" }, ["place", "title"]],
    [{ online: true }, ["place"]],
  ])("%j -> %j", (after, parts) => {
    expect(changedParts(base, { ...base, ...after })).toEqual(parts);
  });
  it("weeks start on Monday, UK time", () => {
    expect(weekOf(new Date("2026-11-30T00:30:00Z"))).toBe("2026-11-30");
    expect(weekOf(new Date("2026-11-29T23:30:00Z"))).toBe("2026-11-23");
    expect(weekOf(new Date("2026-06-28T23:30:00Z"))).toBe("2026-06-29"); // 00:30 on Monday in summer time
  });
});
