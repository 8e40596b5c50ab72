// Forms of the users area, validated with zod; messages follow the NHS style.
import { z } from "zod";
import { passwordProblem } from "../../lib/password-policy.js";

const role = z.enum(["MANAGER", "FACILITATOR", "VIEWER"], {
  errorMap: () => ({ message: "Select a role" }),
});

export const inviteSchema = z.object({
  name: z
    .string({ required_error: "Enter the person's full name", invalid_type_error: "Enter the person's full name" })
    .trim()
    .min(1, "Enter the person's full name")
    .max(120, "Full name must be 120 characters or fewer"),
  email: z
    .string({ required_error: "Enter an email address", invalid_type_error: "Enter an email address" })
    .trim()
    .min(1, "Enter an email address")
    .max(254, "Email address must be 254 characters or fewer")
    .email("Enter an email address in the correct format, like name@example.com"),
  role,
  formId: z.string().uuid().optional().catch(undefined),
});
export const INVITE_FIELDS = ["name", "email", "role"];

export const roleSchema = z.object({ role });

const newPassword = z
  .string({ required_error: "Enter a new password", invalid_type_error: "Enter a new password" })
  .min(1, "Enter a new password")
  .superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

function confirmed<T extends { newPassword: string; confirmPassword: string }>(v: T, ctx: z.RefinementCtx) {
  if (v.newPassword !== v.confirmPassword) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["confirmPassword"], message: "The passwords do not match" });
  }
}

export const setPasswordSchema = z
  .object({
    newPassword,
    confirmPassword: z.string({ required_error: "Confirm your new password", invalid_type_error: "Confirm your new password" }).min(1, "Confirm your new password"),
  })
  .superRefine(confirmed);
export const SET_PASSWORD_FIELDS = ["newPassword", "confirmPassword"];

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ required_error: "Enter your current password", invalid_type_error: "Enter your current password" })
      .min(1, "Enter your current password")
      .max(1000, "Enter your current password"),
    newPassword,
    confirmPassword: z.string({ required_error: "Confirm your new password", invalid_type_error: "Confirm your new password" }).min(1, "Confirm your new password"),
  })
  .superRefine(confirmed);
export const CHANGE_PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];
