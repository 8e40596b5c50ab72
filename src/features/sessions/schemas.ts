// The session form: zod for the text fields, then the parts a schema alone
// cannot express (NHS date input, times in Europe/London, end after start).
import { z } from "zod";
import type { FieldErrors } from "../../lib/forms.js";
import { validate } from "../../lib/forms.js";
import { londonToUtc, parseDateParts, parseTime, resolveLondonTime, type DateParts } from "../../lib/dates.js";
import { formatDate } from "../../lib/view-helpers.js";
import { isUuid } from "../../lib/routing.js";
import { languagesField } from "../groups/schemas.js";

const text = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(max, `${label} must be ${max} characters or fewer`).optional().default(""));

/** A form field that may arrive once (string) or many times (array). */
export function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" && v !== "" ? [v] : [];
}

export const PRINCIPLES = [
  { key: "checklistSafety", name: "Safety", prompt: "Is the place physically and emotionally safe? Who can someone go to if they become upset, and is there a quiet space?" },
  { key: "checklistTrust", name: "Trust", prompt: "How will you explain what happens to what people say, and who will see it? What has the practice already done with earlier ideas?" },
  { key: "checklistChoice", name: "Choice", prompt: "Can people choose whether to speak, leave at any time, or share in writing instead? Nobody has to tell their story." },
  { key: "checklistCollaboration", name: "Collaboration", prompt: "How did the group and the partner organisation shape the questions, the time and the place?" },
  { key: "checklistEmpowerment", name: "Empowerment", prompt: "How will participants' own words be kept, and how will they hear back about what changed?" },
  { key: "checklistCulture", name: "Cultural consideration", prompt: "Interpreters, faith and dietary needs, dates to avoid, gender of facilitators, anything specific to this group." },
] as const;

/** Proposed on a new session (the one-page form and a draft), for the manager to agree with the group. */
export const DEFAULT_GROUND_RULES = "We listen without interrupting. Everyone can choose whether to speak, and can leave at any time. We talk about the service, not about individual staff or patients.";
export const DEFAULT_CONFIDENTIALITY = "Nobody who takes part is named in anything we write down. Ideas are recorded in your own words and shared only as far as the group agrees.";

export const PRESENCE = [
  { value: "NONE", text: "Nobody from the practice", hint: "The partner organisation and facilitators only." },
  { value: "NON_CLINICAL_ONLY", text: "Non-clinical practice staff only", hint: "For example the practice manager or a receptionist, never a clinician." },
  { value: "INVITED_FOR_PART", text: "Practice staff invited for part of the session", hint: "Say who, in what role, and for which part below." },
] as const;

export const SESSION_FIELDS = [
  "conflict", "groupId", "partnerId", "title", "purpose", "facilitatorIds", "startDate", "startTime", "endTime", "online", "venueName", "venueAddress",
  "venueAccessibility", "onlineDetails", "interpreterLanguages", "support", "supportOther", "capacity", "practicePresence", "practicePresenceNotes",
  "groundRules", "confidentiality", "safeguardingLead", ...PRINCIPLES.map((p) => p.key), "preparationNotes", "status",
];

const uuidOrUndefined = (message: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined), z.string().refine(isUuid, message).optional());

const textSchema = z.object({
  groupId: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z.string({ required_error: "Select the community group" }).refine(isUuid, "Select a community group from the list"),
  ),
  partnerId: uuidOrUndefined("Select a partner organisation from the list"),
  title: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string({ required_error: "Enter a title for the session", invalid_type_error: "Enter a title for the session" }).min(1, "Enter a title for the session").max(200, "Title must be 200 characters or fewer"),
  ),
  purpose: text(2000, "Purpose"),
  online: z.enum(["no", "yes"], { errorMap: () => ({ message: "Select whether the session is at a venue or online" }) }),
  venueName: text(200, "Venue name"),
  venueAddress: text(500, "Venue address"),
  venueAccessibility: text(2000, "Accessibility notes"),
  onlineDetails: text(2000, "Online details"),
  interpreterLanguages: languagesField,
  supportOther: text(500, "Other support"),
  capacity: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string().optional().default("").refine((s) => s === "" || /^\d{1,6}$/.test(s), "Capacity must be a whole number, like 12")
      .transform((s) => (s === "" ? null : Number(s)))
      .refine((n) => n === null || (n >= 1 && n <= 10000), "Capacity must be between 1 and 10,000"),
  ),
  practicePresence: z.enum(["NONE", "NON_CLINICAL_ONLY", "INVITED_FOR_PART"], { errorMap: () => ({ message: "Select who from the practice may attend" }) }),
  practicePresenceNotes: text(2000, "Who may attend and in what role"),
  groundRules: text(5000, "Ground rules"),
  confidentiality: text(5000, "Confidentiality statement"),
  safeguardingLead: text(200, "Safeguarding lead"),
  checklistSafety: text(2000, "The note on safety"),
  checklistTrust: text(2000, "The note on trust"),
  checklistChoice: text(2000, "The note on choice"),
  checklistCollaboration: text(2000, "The note on collaboration"),
  checklistEmpowerment: text(2000, "The note on empowerment"),
  checklistCulture: text(2000, "The note on cultural consideration"),
  preparationNotes: text(5000, "Preparation notes"),
});

export interface SessionInput extends Omit<z.infer<typeof textSchema>, "online"> {
  online: boolean;
  facilitatorIds: string[];
  supportTravel: boolean;
  supportChildcare: boolean;
  supportRefreshments: boolean;
  startsAt: Date;
  endsAt: Date;
}

/** The clocks go forward at 1am on the last Sunday of March: 1:00am to 1:59am does not exist that day. */
function clocksForwardMessage(label: string, d: { year: number; month: number; day: number }): string {
  const day = formatDate(londonToUtc(d, { hour: 12, minute: 0 }));
  return `${label} does not exist on ${day}: the clocks go forward from 1am to 2am. Enter a time before 1am, or 2am or later`;
}

/** Refused: the field errors, and the start when its date and time were valid (for the rules on it: service.ts newSessionErrors, editErrors). */
export type FormResult = { ok: true; data: SessionInput } | { ok: false; errors: FieldErrors; startsAt?: Date };

/** Everything a schema can check without the database. */
export function parseSessionForm(body: Record<string, unknown> | undefined): FormResult {
  const input = body ?? {};
  const v = validate(textSchema, input);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };

  const facilitatorIds = [...new Set(asList(input.facilitatorIds))];
  if (facilitatorIds.length === 0) errors.facilitatorIds = "Select at least one facilitator";
  else if (facilitatorIds.length > 20) errors.facilitatorIds = "Select 20 facilitators or fewer";
  else if (!facilitatorIds.every(isUuid)) errors.facilitatorIds = "Select facilitators from the list";

  const support = asList(input.support);
  if (!support.every((s) => ["travel", "childcare", "refreshments"].includes(s))) errors.support = "Select support from the list";

  const date = parseDateParts(input.startDate as DateParts | undefined, "Date of the session");
  if (!date.ok) errors.startDate = date.message;
  const start = parseTime(typeof input.startTime === "string" ? input.startTime : undefined, "Start time");
  if (!start.ok) errors.startTime = start.message;
  const end = parseTime(typeof input.endTime === "string" ? input.endTime : undefined, "End time");
  if (!end.ok) errors.endTime = end.message;
  let startsAt: Date | undefined;
  let endsAt: Date | undefined;
  // The start is worked out whenever its date and time are, even if other fields fail, so the rules on it
  // (a scheduled session must start in the future) are shown in the same round as every other error.
  if (date.ok && start.ok) {
    // Times the clocks skip are refused, not moved (lib/dates.ts resolveLondonTime).
    const from = resolveLondonTime(date.value, start.value);
    if (from.ok) startsAt = from.value;
    else errors.startTime = clocksForwardMessage("Start time", date.value);
  }
  if (date.ok && end.ok) {
    const to = resolveLondonTime(date.value, end.value);
    if (to.ok) endsAt = to.value;
    else errors.endTime = clocksForwardMessage("End time", date.value);
  }
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) errors.endTime = "End time must be after the start time";

  // What depends on another answer is read from the answers as typed, so it is said even when other fields fail.
  const typed = (k: string) => (typeof input[k] === "string" ? (input[k] as string).trim() : "");
  if (input.online === "no" && !typed("venueName")) errors.venueName ??= "Enter the name of the venue";
  if (input.online === "yes" && !typed("onlineDetails")) errors.onlineDetails ??= "Enter how people join online";
  if (input.practicePresence === "INVITED_FOR_PART" && !typed("practicePresenceNotes")) errors.practicePresenceNotes ??= "Say who from the practice is invited, in what role, and for which part";

  if (!v.ok || Object.keys(errors).length || !startsAt || !endsAt) return { ok: false, errors, startsAt };
  return {
    ok: true,
    data: {
      ...v.data,
      online: v.data.online === "yes",
      facilitatorIds,
      supportTravel: support.includes("travel"),
      supportChildcare: support.includes("childcare"),
      supportRefreshments: support.includes("refreshments"),
      startsAt,
      endsAt,
    },
  };
}

export const createStatusSchema = z.object({
  status: z.enum(["DRAFT", "SCHEDULED"], { errorMap: () => ({ message: "Select whether to save the session as a draft or schedule it" }) }),
});

export const versionSchema = z.preprocess((v) => (typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : undefined), z.number({ required_error: "The form is out of date: reload the page" }).int().min(1));

export const preparationSchema = z.object({
  version: versionSchema,
  preparationNotes: text(5000, "Preparation notes"),
});

export const statusSchema = z.object({
  version: versionSchema,
  status: z.enum(["SCHEDULED", "HELD", "CANCELLED", "POSTPONED"], { errorMap: () => ({ message: "Select the new status" }) }),
  reason: text(1000, "The reason"),
});
