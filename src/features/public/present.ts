// How public pages say things in the visitor's language: dates (Europe/London),
// statuses, roles (never names) and "the practice has had this idea for ...".
import type { TFunction } from "i18next";
import type { LanguageCode } from "../../i18n.js";
import { STATUS_TAG_CLASSES, WAITING, type PublicStatus as PublicStatusFilter } from "../../lib/visibility.js";

const LOCALES: Record<LanguageCode, string> = { en: "en-GB", ar: "ar", uk: "uk" };
const DAY = 24 * 3600 * 1000;
const STATUS_CLASSES = STATUS_TAG_CLASSES;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: LanguageCode): Intl.DateTimeFormat {
  let f = dateFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
    dateFormats.set(lang, f);
  }
  return f;
}

/** How long since `since`, in the largest unit that reads naturally. */
export function heldFor(since: Date, now: Date): { unit: "today" | "days" | "weeks" | "months"; count: number } {
  const days = Math.floor((now.getTime() - since.getTime()) / DAY);
  if (days < 1) return { unit: "today", count: 0 };
  if (days < 14) return { unit: "days", count: days };
  if (days < 61) return { unit: "weeks", count: Math.floor(days / 7) };
  return { unit: "months", count: Math.floor(days / 30.44) };
}

export function presenter(t: TFunction, lang: LanguageCode, now = new Date()) {
  return {
    /** "26 November 2026" in the visitor's language, Europe/London. */
    date: (d: Date | string | null | undefined) => (d ? dateFormat(lang).format(new Date(d)) : ""),
    /** A date-only column (targetDate): show the calendar day as stored. */
    day: (d: Date | string | null | undefined) =>
      d ? new Intl.DateTimeFormat(LOCALES[lang], { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date(d)) : "",
    isoDate: (d: Date | string) => new Date(d).toISOString(),
    /**
     * A name (practice, group) put into a translated sentence: wrapped in the Unicode isolates FSI … PDI, the
     * plain-text form of <bdi>, so an English name in an Arabic sentence is ordered as one unit (the sentence
     * is escaped as a whole, so it cannot hold an element).
     */
    isolate: (s: string) => `\u2068${s}\u2069`,
    status: (s: PublicStatusFilter | null | undefined) => t(`public.status.${s ?? WAITING}`),
    statusClass: (s: PublicStatusFilter | null | undefined) => (s ? STATUS_CLASSES[s] : STATUS_CLASSES.WAITING),
    role: (r: string) => t(`public.role.${r}`),
    heldFor: (since: Date) => {
      const h = heldFor(since, now);
      return h.unit === "today" ? t("public.waiting.today") : t(`public.waiting.${h.unit}`, { count: h.count });
    },
  };
}
export type Presenter = ReturnType<typeof presenter>;
