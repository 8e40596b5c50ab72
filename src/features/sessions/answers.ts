// Check your answers (the NHS.UK summary list): a session's values, section by
// section, as a manager reads them, each row with the field its "Change" link
// opens. Shared by a draft's check page (draft-routes.ts) and the summary of an
// existing session being changed (edit-routes.ts).
import { londonToUtc, parseTime } from "../../lib/dates.js";
import { formatDate, formatTime } from "../../lib/view-helpers.js";
import { SECTIONS, type DraftValues, type SectionKey } from "./draft.js";
import { PRESENCE, PRINCIPLES } from "./schemas.js";

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const SUPPORT_LABELS: Record<string, string> = { travel: "Travel costs", childcare: "Childcare", refreshments: "Refreshments" };

export interface SectionAnswers {
  key: SectionKey;
  title: string;
  rows: { key: string; value: string; field: string }[];
}

/** Check your answers: each section's rows, as the manager will read them, with the field each row changes. */
export function sectionAnswers(values: DraftValues, names: { group: string; partner: string; facilitators: string[] }): SectionAnswers[] {
  const or = (v: string, none = "Not given") => v || none;
  const d = (values.startDate ?? {}) as Record<string, string>;
  const online = values.online === "yes";
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
  // "7:30pm", as the briefing says it (a time is a wall-clock time: any day will do), or as typed if it does not parse.
  const time = (v: unknown) => {
    const t = parseTime(str(v), "Time");
    return t.ok ? formatTime(londonToUtc({ year: 2026, month: 1, day: 15 }, t.value)) : str(v);
  };
  const rows: Record<SectionKey, { key: string; value: string; field: string }[]> = {
    group: [
      { key: "Community group", value: names.group, field: "groupId" },
      { key: "Partner organisation", value: or(names.partner, "None"), field: "partnerId" },
      { key: "Title", value: str(values.title), field: "title" },
      { key: "Purpose", value: or(str(values.purpose)), field: "purpose" },
    ],
    "when-and-where": [
      { key: "Date", value: [d.day, d.month, d.year].every(Boolean) ? formatDate(londonToUtc({ year: Number(d.year), month: Number(d.month), day: Number(d.day) }, { hour: 12, minute: 0 })) : "", field: "startDate-day" },
      { key: "Time", value: `${time(values.startTime)} to ${time(values.endTime)} (UK time)`, field: "startTime" },
      { key: "How people take part", value: online ? "Online" : "In person, at a venue", field: "online" },
      ...(online
        ? [{ key: "How to join online", value: str(values.onlineDetails), field: "onlineDetails" }]
        : [
            { key: "Venue", value: str(values.venueName), field: "venueName" },
            { key: "Venue address", value: or(str(values.venueAddress)), field: "venueAddress" },
            { key: "Accessibility of the venue", value: or(str(values.venueAccessibility)), field: "venueAccessibility" },
          ]),
    ],
    facilitators: [{ key: "Facilitators", value: names.facilitators.join(", "), field: "facilitatorIds" }],
    "ground-rules": [
      { key: "Who from the practice may attend", value: PRESENCE.find((p) => p.value === values.practicePresence)?.text ?? "", field: "practicePresence" },
      { key: "Who, in what role, and for which part", value: or(str(values.practicePresenceNotes)), field: "practicePresenceNotes" },
      { key: "Ground rules", value: or(str(values.groundRules)), field: "groundRules" },
      { key: "Confidentiality statement", value: or(str(values.confidentiality)), field: "confidentiality" },
      { key: "Safeguarding lead", value: or(str(values.safeguardingLead)), field: "safeguardingLead" },
    ],
    access: [
      { key: "Interpreters booked", value: or(str(values.interpreterLanguages), "None"), field: "interpreterLanguages" },
      { key: "Support offered", value: or(list(values.support).map((s) => SUPPORT_LABELS[s] ?? s).join(", "), "None"), field: "support" },
      { key: "Other support", value: or(str(values.supportOther), "None"), field: "supportOther" },
      { key: "Capacity", value: or(str(values.capacity), "Not set"), field: "capacity" },
      ...PRINCIPLES.map((p) => ({ key: p.name, value: or(str(values[p.key]), "No note: the briefing shows the prompt"), field: p.key })),
      { key: "Preparation notes", value: or(str(values.preparationNotes)), field: "preparationNotes" },
    ],
  };
  return SECTIONS.map((s) => ({ key: s.key, title: s.title, rows: rows[s.key] }));
}
