// Form validation with zod, shaped for the NHS error summary pattern:
// errors are keyed by the id of the field they belong to, so the summary's
// links land on the field.
import type { ZodType, ZodTypeDef } from "zod";

export type FieldErrors = Record<string, string>;

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** "ideas.0.text" -> "ideas-0-text" (the id convention for nested fields). */
export function fieldId(path: (string | number)[]): string {
  return path.join("-");
}

export function validate<T>(schema: ZodType<T, ZodTypeDef, unknown>, input: unknown): Validation<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = fieldId(issue.path) || "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * The ids of the app's date inputs (views/components/date-input.ejs: a div around Day, Month and Year inputs
 * with ids `<id>-day`, `<id>-month`, `<id>-year`): the session's date, a response's target date, a report's range.
 */
export const DATE_INPUT_IDS: ReadonlySet<string> = new Set(["startDate", "targetDate", "from", "to"]);

/**
 * Where a link to a field's error lands: the field's own input. For a date input that is its Day field, as the
 * GOV.UK and NHS date inputs do (the div around the three inputs cannot take focus).
 */
export function fieldAnchor(key: string): string {
  return DATE_INPUT_IDS.has(key) ? `${key}-day` : key;
}

/** The error summary's list, in the order the fields appear (the order of `order`, then the rest). */
export function errorList(errors: FieldErrors, order: string[] = []): { text: string; href: string }[] {
  const keys = Object.keys(errors);
  keys.sort((a, b) => rank(a) - rank(b));
  function rank(k: string) {
    const i = order.findIndex((o) => k === o || k.startsWith(o + "-"));
    return i === -1 ? order.length : i;
  }
  return keys.map((k) => ({ text: errors[k]!, href: `#${fieldAnchor(k)}` }));
}

/** Trims strings; turns "" into undefined so optional fields validate as absent. */
export const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
