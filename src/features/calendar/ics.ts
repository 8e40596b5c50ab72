// One session as an iCalendar event: shared by the per-session download
// (/sessions/:id.ics), the private calendar feeds and the e-mails' calendar
// files (features/mail/compose.ts), so all say the same.
// Times are UTC instants (DTSTART:...Z), which every calendar shows in its own
// zone: a London session is right in summer and winter time alike.
// Nothing private: no purpose, notes, joining details, names or participant
// detail; the briefing needs sign-in.
import * as ics from "ics";
import type { SessionStatus } from "../../generated/prisma/enums.js";
import { utcToLondonParts } from "../../lib/dates.js";

export interface EventSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: SessionStatus;
  /** Incremented on every change: the event's SEQUENCE, so subscribers take the update. */
  version: number;
  online: boolean;
  venueName: string;
  venueAddress: string;
  updatedAt?: Date;
  group: { name: string };
}

export const PRODUCT_ID = "ppg-coproduction/sessions";

/** A stable UID per session: the same in the download and every feed. */
export function eventUid(sessionId: string): string {
  return `${sessionId}@ppg-coproduction`;
}

export function sessionEvent(session: EventSession, baseUrl: string): ics.EventAttributes {
  const location = session.online ? "Online" : [session.venueName, session.venueAddress].filter(Boolean).join(", ");
  return {
    uid: eventUid(session.id),
    sequence: session.version,
    start: session.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: session.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    title: session.status === "CANCELLED" ? `Cancelled: ${session.title}` : session.title,
    location: location || undefined,
    description: `Protected community session with ${session.group.name}.\nBriefing (sign in needed): ${baseUrl}/sessions/${session.id}`,
    status: session.status === "CANCELLED" ? "CANCELLED" : session.status === "SCHEDULED" || session.status === "HELD" ? "CONFIRMED" : "TENTATIVE",
    ...(session.updatedAt ? { lastModified: session.updatedAt.getTime() } : {}),
  };
}

/** A calendar of events (an empty one is still a calendar a subscriber keeps); throws if the library refuses one. */
export function calendarFile(events: ics.EventAttributes[], calName: string): string {
  const { error, value } = ics.createEvents(events, { productId: PRODUCT_ID, calName, method: "PUBLISH" });
  if (error || !value) throw error ?? new Error("calendar file could not be made");
  return value;
}

/** One session's calendar file (the download and the e-mails' attachment), named by its UK date; throws if the library refuses it. */
export function sessionFile(session: EventSession, baseUrl: string, calName: string): { filename: string; content: string } {
  const { error, value } = ics.createEvent({ ...sessionEvent(session, baseUrl), productId: PRODUCT_ID, calName });
  if (error || !value) throw error ?? new Error("calendar file could not be made");
  const day = utcToLondonParts(session.startsAt);
  return { filename: `session-${day.year}-${day.month.padStart(2, "0")}-${day.day.padStart(2, "0")}.ics`, content: value };
}
