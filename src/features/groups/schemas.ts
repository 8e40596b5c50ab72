import { z } from "zod";
import { isUuid } from "../../lib/routing.js";

const text = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(max, `${label} must be ${max} characters or fewer`).optional().default(""));

/** "Arabic, Tigrinya ,  Farsi" -> ["Arabic", "Tigrinya", "Farsi"] (no blanks, no repeats). */
export function splitList(raw: unknown): string[] {
  if (typeof raw !== "string") return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(/[,;\n]/)) {
    const s = part.trim().replace(/\s+/g, " ");
    if (s && !seen.has(s.toLowerCase())) {
      seen.add(s.toLowerCase());
      out.push(s);
    }
  }
  return out;
}

export const languagesField = z
  .preprocess((v) => splitList(v), z.array(z.string().max(60, "Each language must be 60 characters or fewer")).max(20, "List 20 languages or fewer"));

export const groupSchema = z.object({
  name: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string({ required_error: "Enter the name of the group", invalid_type_error: "Enter the name of the group" }).min(1, "Enter the name of the group").max(200, "Name must be 200 characters or fewer"),
  ),
  partnerId: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z.string().refine(isUuid, "Select a partner organisation from the list").optional(),
  ),
  description: text(2000, "Description"),
  languages: languagesField,
  accessNeeds: text(2000, "Access needs"),
  usualTimes: text(500, "Times that suit the group"),
  usualVenue: text(500, "Places that suit the group"),
});
export type GroupInput = z.infer<typeof groupSchema>;
export const GROUP_FIELDS = ["name", "partnerId", "description", "languages", "accessNeeds", "usualTimes", "usualVenue"];

export const rotateSchema = z.object({
  confirm: z.literal("rotate", { errorMap: () => ({ message: "Confirm that you want a new private link" }) }),
});
