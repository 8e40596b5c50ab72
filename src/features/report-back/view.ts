// How the report-back list reads, on the briefing and on the printed sheet:
// statuses and roles in the public pages' words (never a staff name), and
// "waiting for 3 weeks".
import { direction, translator, type LanguageCode } from "../../i18n.js";
import { STATUS_LABELS, VERDICT_LABELS, VERDICT_TAG_CLASSES } from "../../lib/vocabulary.js";
import { presenter } from "../public/present.js";
import type { ReportBack } from "./service.js";

/**
 * `lang`: the printed sheet in the group's language (its wording, statuses,
 * roles, dates and the group's verdicts in that language); English otherwise
 * (the briefing, and the sheet without ?lang). Staff-only notes on the sheet
 * stay English.
 */
export function reportBackView(list: ReportBack, now = new Date(), lang: LanguageCode = "en") {
  const t = translator(lang);
  const p = presenter(t, lang, now);
  return {
    reportBack: list,
    rb: {
      t,
      lang,
      dir: direction(lang),
      status: p.status,
      statusClass: p.statusClass,
      role: p.role,
      date: p.date,
      day: p.day,
      heldFor: p.heldFor,
      statusLabels: STATUS_LABELS,
      // The staff's words in English; the public pages' words in the group's language.
      verdictLabels: lang === "en" ? VERDICT_LABELS : Object.fromEntries(Object.keys(VERDICT_LABELS).map((k) => [k, t(`public.verdict.kind.${k}`, { defaultValue: VERDICT_LABELS[k as keyof typeof VERDICT_LABELS] })])),
      verdictTags: VERDICT_TAG_CLASSES,
    },
  };
}
