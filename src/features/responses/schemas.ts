// The response form: status, plain-language text, optional target date, public or not.
import { z } from "zod";
import { parseDateParts, utcToLondonParts, type DateParts } from "../../lib/dates.js";
import { IDEA_STATUSES } from "../../lib/vocabulary.js";
import type { IdeaStatus } from "../../generated/prisma/enums.js";

export const MAX_RESPONSE_LENGTH = 2000;
/** A NOT_POSSIBLE response must say why, in more than a few words. */
export const MIN_NOT_POSSIBLE_LENGTH = 40;

export const TARGET_DATE_IN_PAST = "The target date must be today or in the future";

/**
 * A new response's target date may not be before today in London: "Expected by 1 January 2020" on a
 * response written in 2026 tells the group nothing true. Today itself is allowed ("we expect it today").
 * Only new responses are checked; responses are append-only, so an old one whose date has passed stays as written.
 */
export function targetDateInPast(date: { year: number; month: number; day: number }, now = new Date()): boolean {
  const today = utcToLondonParts(now);
  return Date.UTC(date.year, date.month - 1, date.day) < Date.UTC(Number(today.year), Number(today.month) - 1, Number(today.day));
}

export const RESPONSE_FIELD_ORDER = ["status", "text", "readingAgeConfirm", "targetDate", "isPublic"];

const dateParts = z
  .object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() })
  .partial()
  .optional()
  .catch(undefined);

export const responseSchema = z
  .object({
    status: z.enum(IDEA_STATUSES as [IdeaStatus, ...IdeaStatus[]], { errorMap: () => ({ message: "Select the status of this idea" }) }),
    text: z
      .string({ required_error: "Enter what the practice did or what happens next", invalid_type_error: "Enter what the practice did or what happens next" })
      .trim()
      .min(1, "Enter what the practice did or what happens next")
      .max(MAX_RESPONSE_LENGTH, `The response must be ${MAX_RESPONSE_LENGTH.toLocaleString("en-GB")} characters or fewer`),
    targetDate: dateParts,
    isPublic: z.enum(["yes", "no"], { errorMap: () => ({ message: "Select whether this response is public" }) }),
  })
  .superRefine((v, ctx) => {
    if (v.status === "NOT_POSSIBLE" && v.text.length < MIN_NOT_POSSIBLE_LENGTH) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["text"],
        message: `Explain why this is not possible, in at least ${MIN_NOT_POSSIBLE_LENGTH} characters, so the group understands the reason`,
      });
    }
    const p = v.targetDate as DateParts | undefined;
    if (p && [p.day, p.month, p.year].some((x) => (x ?? "").trim() !== "")) {
      const parsed = parseDateParts(p, "Target date");
      if (!parsed.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["targetDate"], message: parsed.message });
      else if (targetDateInPast(parsed.value)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["targetDate"], message: TARGET_DATE_IN_PAST });
    }
  })
  .transform((v) => {
    const p = v.targetDate as DateParts | undefined;
    const parsed = p && [p.day, p.month, p.year].some((x) => (x ?? "").trim() !== "") ? parseDateParts(p, "Target date") : undefined;
    // A calendar date (@db.Date): midnight UTC of that day.
    const targetDate = parsed?.ok ? new Date(Date.UTC(parsed.value.year, parsed.value.month - 1, parsed.value.day)) : null;
    return { status: v.status, text: v.text, targetDate, isPublic: v.isPublic === "yes" };
  });

export type ResponseInput = z.output<typeof responseSchema>;
