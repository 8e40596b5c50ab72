// The calendar's forms: the gap setting and a feed's scope.
import { z } from "zod";

export const GAP_MONTHS_MAX = 24;

export const gapMonthsSchema = z.object({
  gapAlertMonths: z
    .string({ required_error: "Enter a number of months", invalid_type_error: "Enter a number of months" })
    .trim()
    .min(1, "Enter a number of months")
    .regex(/^\d+$/, "The number of months must be a whole number, like 3")
    .transform(Number)
    .pipe(z.number().min(1, "The number of months must be at least 1").max(GAP_MONTHS_MAX, `The number of months must be ${GAP_MONTHS_MAX} or fewer`)),
});

export const feedScopeSchema = z.object({
  scope: z.enum(["ASSIGNED", "PRACTICE"], { errorMap: () => ({ message: "Choose which calendar feed" }) }),
});
