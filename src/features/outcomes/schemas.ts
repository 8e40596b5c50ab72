// The outcome form: raw values as typed (kept between renders and in drafts),
// and the zod schemas for a final save.
import { z } from "zod";
import type { Consent } from "../../generated/prisma/enums.js";
import { CONSENTS, MAX_IDEA_LENGTH } from "../../lib/vocabulary.js";
import { verdictValues, type VerdictValue } from "../report-back/verdicts.js";

export const MAX_IDEAS = 50;
const MAX_TEXT = 5000;

export interface IdeaValues {
  text: string;
  themeId: string;
  support: string;
  consent: string;
  /** The fingerprint of the text the facilitator confirmed as safe (identifying-details check). */
  confirmSafe: string;
}

export interface OutcomeValues {
  attendanceCount: string;
  themesDiscussed: string;
  themesConfirmSafe: string;
  processReflection: string;
  privateReflections: string;
  submissionId: string;
  ideas: IdeaValues[];
  /** What the group said about the practice's answers (features/report-back/verdicts.ts). */
  verdicts?: VerdictValue[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "");

export const emptyIdea = (): IdeaValues => ({ text: "", themeId: "", support: "", consent: "", confirmSafe: "" });

/** Whatever was posted (or stored in a draft), as the form's values: strings only, at most MAX_IDEAS ideas. */
export function formValues(raw: unknown): OutcomeValues {
  const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  // ideas[0][text] -> an array; past qs's array limit, or with gaps, it may arrive as an object keyed by index.
  let list: unknown[] = [];
  if (Array.isArray(body.ideas)) list = body.ideas;
  else if (body.ideas && typeof body.ideas === "object") {
    const o = body.ideas as Record<string, unknown>;
    list = Object.keys(o)
      .filter((k) => /^\d+$/.test(k))
      .sort((x, y) => Number(x) - Number(y))
      .map((k) => o[k]);
  }
  const ideas = list.slice(0, MAX_IDEAS).map((item) => {
    const i = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
    return { text: str(i.text), themeId: str(i.themeId), support: str(i.support), consent: str(i.consent), confirmSafe: str(i.confirmSafe) };
  });
  return {
    attendanceCount: str(body.attendanceCount),
    themesDiscussed: str(body.themesDiscussed),
    themesConfirmSafe: str(body.themesConfirmSafe),
    processReflection: str(body.processReflection),
    privateReflections: str(body.privateReflections),
    submissionId: str(body.submissionId),
    ideas,
    verdicts: verdictValues(body.verdicts),
  };
}

/** An idea row the facilitator left completely empty (dropped on a final save, rather than an error). */
export const isBlankIdea = (i: IdeaValues) => !i.text.trim() && !i.themeId && !i.support.trim() && !i.consent;

const wholeNumber = (missing: string, notWhole: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .regex(/^\d+$/, notWhole)
    .transform(Number)
    .refine((n) => n <= 100_000, notWhole);

export const outcomeFieldsSchema = z.object({
  attendanceCount: wholeNumber("Enter how many people took part", "Number of people who took part must be a whole number, 0 or more, like 8"),
  themesDiscussed: z.string().trim().max(MAX_TEXT, "Themes discussed must be 5,000 characters or fewer"),
  processReflection: z.string().trim().max(MAX_TEXT, "How the process felt must be 5,000 characters or fewer"),
  privateReflections: z.string().trim().max(MAX_TEXT, "Private reflections must be 5,000 characters or fewer"),
});

export const ideaSchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, "Enter the idea in the participants' own words")
    .max(MAX_IDEA_LENGTH, `The idea must be ${MAX_IDEA_LENGTH.toLocaleString("en-GB")} characters or fewer`),
  themeId: z.string().min(1, "Select a theme"),
  support: wholeNumber("Enter how many people in the room supported the idea", "Support in the room must be a whole number, 0 or more, like 5"),
  consent: z.enum(CONSENTS as [Consent, ...Consent[]], { errorMap: () => ({ message: "Select what the group agreed to share" }) }),
});

/**
 * A message for one idea's field names the idea ("Idea 2: select a theme"),
 * in the error summary and beside the field, so the facilitator knows which
 * of several ideas it is about.
 */
export function ideaError(index: number, message: string): string {
  return `Idea ${index + 1}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** The same errors, each one on an idea's field (ideas-<i>-<field>) naming its idea. */
export function namingIdeas(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([key, message]) => {
      const m = /^ideas-(\d+)-/.exec(key);
      return [key, m ? ideaError(Number(m[1]), message) : message];
    }),
  );
}

export const finalOutcomeSchema = outcomeFieldsSchema.extend({ ideas: z.array(ideaSchema) });

export type OutcomeFields = z.infer<typeof outcomeFieldsSchema>;
export type FinalOutcome = z.infer<typeof finalOutcomeSchema>;

/** The order of fields on the page, for the error summary. */
export function fieldOrder(ideaCount: number): string[] {
  const order = ["attendanceCount", "themesDiscussed", "processReflection", "privateReflections"];
  for (let i = 0; i < ideaCount; i++) order.push(`ideas-${i}-text`, `ideas-${i}-themeId`, `ideas-${i}-support`, `ideas-${i}-consent`);
  return order;
}
