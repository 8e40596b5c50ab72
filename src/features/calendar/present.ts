// What the views need to show dates and sessions the same way on the calendar,
// the groups page and a session's briefing.
import { STATUS_LABELS, STATUS_TAG } from "../sessions/service.js";
import { londonDate, timeRange } from "./month.js";

export const calendarHelpers = { londonDate, timeRange, statusLabels: STATUS_LABELS, statusTags: STATUS_TAG };
