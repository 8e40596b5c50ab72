// Managers' correction of an idea: text, theme, consent (narrowing only, checked in the service).
import { z } from "zod";
import type { Consent } from "../../generated/prisma/enums.js";
import { CONSENTS, MAX_IDEA_LENGTH } from "../../lib/vocabulary.js";

export const EDIT_FIELD_ORDER = ["text", "themeId", "consent"];

export const correctionSchema = z.object({
  text: z
    .string({ required_error: "Enter the idea in the participants' words", invalid_type_error: "Enter the idea in the participants' words" })
    .trim()
    .min(1, "Enter the idea in the participants' words")
    .max(MAX_IDEA_LENGTH, `The idea must be ${MAX_IDEA_LENGTH.toLocaleString("en-GB")} characters or fewer`),
  themeId: z.string({ required_error: "Select a theme", invalid_type_error: "Select a theme" }).uuid("Select a theme"),
  consent: z.enum(CONSENTS as [Consent, ...Consent[]], { errorMap: () => ({ message: "Select what the group consented to share" }) }),
  version: z.string({ required_error: "Reload the page and try again", invalid_type_error: "Reload the page and try again" }).min(1, "Reload the page and try again"),
});

/** Publishing and unpublishing carry the version of the page the manager confirmed. */
export const confirmSchema = z.object({
  version: z.string({ required_error: "Check the preview, then confirm" }).min(1, "Check the preview, then confirm"),
});

/** The practice's response deadline: whole days after the session, 1 to 365. */
export const deadlineSchema = z.object({
  responseDeadlineDays: z
    .string({ required_error: "Enter the number of days", invalid_type_error: "Enter the number of days" })
    .trim()
    .min(1, "Enter the number of days")
    .regex(/^\d+$/, "The deadline must be a whole number of days, like 28")
    .transform(Number)
    .pipe(z.number().min(1, "The deadline must be at least 1 day").max(365, "The deadline must be 365 days or fewer")),
});
