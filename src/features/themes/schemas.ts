import { z } from "zod";

export const themeNameSchema = z.object({
  name: z
    .string({ required_error: "Enter a name for the theme", invalid_type_error: "Enter a name for the theme" })
    .trim()
    .min(1, "Enter a name for the theme")
    .max(80, "Theme name must be 80 characters or fewer"),
  formId: z.string().uuid().optional().catch(undefined),
});

export const moveSchema = z.object({
  direction: z.enum(["up", "down"], { errorMap: () => ({ message: "Choose to move the theme up or down" }) }),
});

export const retireSchema = z.object({
  retired: z.enum(["yes", "no"], { errorMap: () => ({ message: "Choose to retire the theme or bring it back" }) }),
});
