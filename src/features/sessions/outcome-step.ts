// What the session page says about the session's outcome: the link to log it,
// finish it or change it, or, when there is nothing to do yet, when there will
// be and what happens then. Only links the user may follow are offered (the
// outcome page is for managers and the session's facilitators).
import type { SessionStatus } from "../../generated/prisma/enums.js";
import { formatDateTime } from "../../lib/view-helpers.js";

export interface OutcomeStep {
  /** The link, when the user can act now. */
  link?: { href: string; text: string };
  /** A sentence saying what happens and when (always given). */
  note: string;
}

export function outcomeStep(
  session: { id: string; status: SessionStatus; startsAt: Date; outcome: { isDraft: boolean; updatedAt: Date } | null },
  opts: { canLog: boolean; now?: Date },
): OutcomeStep {
  const now = opts.now ?? new Date();
  const href = `/sessions/${session.id}/outcome`;
  const ideasHref = `/ideas?session=${session.id}`;
  if (session.status === "CANCELLED") return { note: "This session was cancelled, so there is no outcome to log." };
  if (session.outcome && !session.outcome.isDraft) {
    return opts.canLog
      ? { link: { href, text: "See or change the outcome" }, note: `The outcome was logged and the session is marked as held. The ideas from it are in the ideas list.` }
      : { link: { href: ideasHref, text: "See the ideas from this session" }, note: "The outcome was logged and the session is marked as held." };
  }
  if (session.status === "POSTPONED") return { note: "This session was postponed. Its outcome can be logged once it has been held on its new date." };
  if (session.startsAt.getTime() > now.getTime()) {
    return {
      note: opts.canLog
        ? `You can log the outcome here once the session starts (${formatDateTime(session.startsAt)}): how many took part, the themes discussed and the group's ideas in their own words.`
        : `The facilitators log the outcome after the session starts (${formatDateTime(session.startsAt)}).`,
    };
  }
  if (!opts.canLog) return { note: "The outcome has not been logged yet: the session's facilitators or a manager log it." };
  if (session.outcome?.isDraft) {
    return { link: { href, text: "Finish logging the outcome" }, note: `A draft was saved ${formatDateTime(session.outcome.updatedAt)}. Saving the outcome marks the session as held.` };
  }
  return { link: { href, text: "Log the outcome" }, note: "Log how many took part, the themes discussed and the group's ideas. Saving the outcome marks the session as held." };
}
