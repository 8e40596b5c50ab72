// The words of each e-mail: plain English, a plain-text part, and nothing about
// participants (no idea text, no names of people in a group, no outcome notes).
// Pure functions of what the worker read from the database, so a test can
// check every message without a server.
import type Mail from "nodemailer/lib/mailer/index.js";
import { formatTime } from "../../lib/view-helpers.js";
import type { SessionStatus } from "../../generated/prisma/enums.js";
import { sessionFile } from "../calendar/ics.js";

const LONDON = "Europe/London";
const whenFormat = new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, weekday: "long", day: "numeric", month: "long", year: "numeric" });

/** "Thursday 3 December 2026" (UK date). */
export function londonDay(d: Date): string {
  return whenFormat.format(d).replace(",", "");
}

/** "Tuesday 3 December 2026, 2:00pm to 4:00pm (UK time)": the 12-hour clock of the briefing the e-mail links to. */
export function londonSpan(start: Date, end: Date): string {
  const sameDay = londonDay(start) === londonDay(end);
  return sameDay
    ? `${londonDay(start)}, ${formatTime(start)} to ${formatTime(end)} (UK time)`
    : `${londonDay(start)} ${formatTime(start)} to ${londonDay(end)} ${formatTime(end)} (UK time)`;
}

export interface Composed {
  subject: string;
  text: string;
  headers?: Record<string, string>;
  attachments?: Mail.Attachment[];
}

export interface SessionFacts {
  id: string;
  title: string;
  groupName: string;
  startsAt: Date;
  endsAt: Date;
  online: boolean;
  venueName: string;
  venueAddress: string;
  status: SessionStatus;
  version: number;
  /** The calendar file's LAST-MODIFIED, as in the download. */
  updatedAt?: Date;
}

const AUTOMATIC = { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" };
const FOOTER = "This is an automatic e-mail from your practice's Patient Participation Group workspace. Please do not reply to it.";

function place(s: SessionFacts): string {
  return s.online ? "Online (the joining details are in the briefing)" : [s.venueName, s.venueAddress].filter(Boolean).join(", ") || "See the briefing";
}

/** The session's calendar file: the briefing page's .ics download itself (calendar/ics.ts: same UID, SEQUENCE and UTC times). */
export function sessionCalendar(s: SessionFacts, base: string, practiceName: string): Mail.Attachment {
  const file = sessionFile({ ...s, group: { name: s.groupName } }, base, practiceName);
  return { ...file, contentType: "text/calendar; charset=utf-8" };
}

function lines(...parts: (string | false | undefined)[]): string {
  return parts.filter((p) => p !== false && p !== undefined).join("\n");
}

export function invitationMail(p: { practiceName: string; link: string; expiresAt: Date; roleName: string }): Composed {
  return {
    subject: `You are invited to join ${p.practiceName} on the Patient Participation Group workspace`,
    text: lines(
      "Hello,",
      "",
      `${p.practiceName} has invited you to its Patient Participation Group workspace as a ${p.roleName}.`,
      "",
      "To accept, open this link and follow the steps:",
      p.link,
      "",
      `The link works once, until ${londonDay(p.expiresAt)} at ${formatTime(p.expiresAt)} (UK time). If it has expired, ask the practice manager for a new one.`,
      "",
      "If you were not expecting this e-mail, you can ignore it: nothing happens unless the link is used.",
      "",
      FOOTER,
    ),
  };
}

export function reminderMail(p: { practiceName: string; session: SessionFacts; base: string }): Composed {
  const s = p.session;
  return {
    subject: `Reminder: ${s.title} on ${londonDay(s.startsAt)}`,
    headers: AUTOMATIC,
    text: lines(
      "Hello,",
      "",
      `You are a facilitator of a protected community session with ${s.groupName} in two days' time or less.`,
      "",
      `Session: ${s.title}`,
      `When: ${londonSpan(s.startsAt, s.endsAt)}`,
      `Where: ${place(s)}`,
      "",
      "Read the briefing before the session (you will need to sign in):",
      `${p.base}/sessions/${s.id}`,
      "",
      "The session is attached as a calendar file.",
      "",
      `You can turn these reminders off on your account page: ${p.base}/account/email`,
      "",
      FOOTER,
    ),
    attachments: [sessionCalendar(s, p.base, p.practiceName)],
  };
}

export function sessionChangedMail(p: { practiceName: string; session: SessionFacts; base: string; changed: string[] }): Composed {
  const s = p.session;
  return {
    subject: `Changed: ${s.title} on ${londonDay(s.startsAt)}`,
    headers: AUTOMATIC,
    text: lines(
      "Hello,",
      "",
      `A protected community session you are assigned to has been changed${p.changed.length ? ` (${p.changed.join(", ")})` : ""}. It is now:`,
      "",
      `Session: ${s.title}`,
      `Group: ${s.groupName}`,
      `When: ${londonSpan(s.startsAt, s.endsAt)}`,
      `Where: ${place(s)}`,
      "",
      "See the briefing for the details (you will need to sign in):",
      `${p.base}/sessions/${s.id}`,
      "",
      "The updated session is attached as a calendar file.",
      "",
      FOOTER,
    ),
    attachments: [sessionCalendar(s, p.base, p.practiceName)],
  };
}

/** To a facilitator an edit took off a session: no briefing link (it is no longer theirs to see), nothing about participants. */
export function sessionUnassignedMail(p: { practiceName: string; session: SessionFacts; base: string }): Composed {
  const s = p.session;
  return {
    subject: `Changed: you are no longer assigned to ${s.title} on ${londonDay(s.startsAt)}`,
    headers: AUTOMATIC,
    text: lines(
      "Hello,",
      "",
      `You are no longer assigned to a protected community session with ${s.groupName}. The practice changed who facilitates it.`,
      "",
      `Session: ${s.title}`,
      `When: ${londonSpan(s.startsAt, s.endsAt)}`,
      "",
      "You do not need to prepare for it. If you think this is a mistake, please ask your practice manager.",
      "If you added the session to your calendar, you can remove it.",
      "",
      FOOTER,
    ),
  };
}

export function sessionCancelledMail(p: { practiceName: string; session: SessionFacts; base: string }): Composed {
  const s = p.session;
  const word = s.status === "POSTPONED" ? "postponed" : "cancelled";
  return {
    subject: `${word === "postponed" ? "Postponed" : "Cancelled"}: ${s.title} on ${londonDay(s.startsAt)}`,
    headers: AUTOMATIC,
    text: lines(
      "Hello,",
      "",
      `A protected community session you are assigned to has been ${word}:`,
      "",
      `Session: ${s.title}`,
      `Group: ${s.groupName}`,
      `Was planned for: ${londonSpan(s.startsAt, s.endsAt)}`,
      "",
      "The reason and any next steps are on the session page (you will need to sign in):",
      `${p.base}/sessions/${s.id}`,
      "",
      word === "cancelled" && "The attached calendar file removes it from your calendar.",
      word === "cancelled" && "",
      FOOTER,
    ),
    attachments: word === "cancelled" ? [sessionCalendar(s, p.base, p.practiceName)] : undefined,
  };
}

export function digestMail(p: { practiceName: string; overdueIdeas: number; awaitingOutcome: number; base: string }): Composed {
  const ideas = p.overdueIdeas === 1 ? "1 idea is" : `${p.overdueIdeas} ideas are`;
  const sessions = p.awaitingOutcome === 1 ? "1 session is" : `${p.awaitingOutcome} sessions are`;
  return {
    subject: `This week at ${p.practiceName}: ${p.overdueIdeas} overdue ${p.overdueIdeas === 1 ? "idea" : "ideas"}, ${p.awaitingOutcome} ${p.awaitingOutcome === 1 ? "session" : "sessions"} waiting for an outcome`,
    headers: AUTOMATIC,
    text: lines(
      "Hello,",
      "",
      `This is the weekly summary for ${p.practiceName}.`,
      "",
      `- ${ideas} overdue: the group has had no answer within the practice's deadline.`,
      `  ${p.base}/ideas?overdue=yes`,
      `- ${sessions} waiting for an outcome to be logged.`,
      `  ${p.base}/dashboard`,
      "",
      "Sign in to see them. This e-mail does not include what anyone said.",
      "",
      `You can turn this summary off on your account page: ${p.base}/account/email`,
      "",
      FOOTER,
    ),
  };
}
