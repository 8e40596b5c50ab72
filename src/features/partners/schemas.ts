import { z } from "zod";
import { blankToUndefined } from "../../lib/forms.js";

const optionalText = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(max, `${label} must be ${max} characters or fewer`).optional().default(""));

export const partnerSchema = z.object({
  name: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string({ required_error: "Enter the name of the partner organisation", invalid_type_error: "Enter the name of the partner organisation" })
      .min(1, "Enter the name of the partner organisation")
      .max(200, "Name must be 200 characters or fewer"),
  ),
  contactName: optionalText(200, "Contact name"),
  contactEmail: z.preprocess(
    blankToUndefined,
    z.string().trim().max(320, "Email address must be 320 characters or fewer").email("Enter an email address in the correct format, like name@example.org").optional(),
  ).transform((v) => v ?? ""),
  contactPhone: z.preprocess(
    blankToUndefined,
    z.string().trim().max(40, "Phone number must be 40 characters or fewer").regex(/^[+()\d\s-]{6,}$/, "Enter a phone number, like 01632 960 001").optional(),
  ).transform((v) => v ?? ""),
  notes: optionalText(5000, "Notes"),
});

export type PartnerInput = z.infer<typeof partnerSchema>;
export const PARTNER_FIELDS = ["name", "contactName", "contactEmail", "contactPhone", "notes"];
