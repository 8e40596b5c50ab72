// How the report-back list reads, on the briefing and on the printed sheet:
// statuses and roles in the public pages' words (never a staff name), and
// "waiting for 3 weeks".
import { translator } from "../../i18n.js";
import { STATUS_LABELS, VERDICT_LABELS, VERDICT_TAG_CLASSES } from "../../lib/vocabulary.js";
import { presenter } from "../public/present.js";
import type { ReportBack } from "./service.js";

export function reportBackView(list: ReportBack, now = new Date()) {
  const p = presenter(translator("en"), "en", now);
  return {
    reportBack: list,
    rb: {
      status: p.status,
      statusClass: p.statusClass,
      role: p.role,
      date: p.date,
      day: p.day,
      heldFor: p.heldFor,
      statusLabels: STATUS_LABELS,
      verdictLabels: VERDICT_LABELS,
      verdictTags: VERDICT_TAG_CLASSES,
    },
  };
}
