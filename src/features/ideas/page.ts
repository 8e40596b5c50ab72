// Rendering /ideas/:id, shared by the ideas routes and the response form
// (which re-renders the page with its errors).
import crypto from "node:crypto";
import type { Request, Response } from "express";
import type { FieldErrors } from "../../lib/forms.js";
import { errorList } from "../../lib/forms.js";
import type { Readability } from "../../lib/readability.js";
import { currentUser } from "../../middleware/auth.js";
import { RESPONSE_FIELD_ORDER, MIN_NOT_POSSIBLE_LENGTH } from "../responses/schemas.js";
import { ideaLabels } from "./labels.js";
import { isOverdue, type IdeaDetail } from "./service.js";

export interface ResponseFormState {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  readability?: Readability;
  status?: number;
}

export function truncate(text: string, max = 120): string {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

export function renderIdeaPage(res: Response, idea: IdeaDetail, form: ResponseFormState = {}) {
  const user = currentUser(res);
  const errors = form.errors ?? {};
  const values = form.values ?? {};
  const formId = typeof values.formId === "string" && values.formId ? values.formId : crypto.randomUUID();
  res.status(form.status ?? 200).render("ideas/show", {
    title: `Idea: ${truncate(idea.text, 60)}`,
    idea,
    labels: ideaLabels,
    overdue: isOverdue(idea),
    canManage: user.role === "MANAGER",
    errors,
    errorList: errorList(errors, RESPONSE_FIELD_ORDER),
    values: { isPublic: "yes", ...values, formId },
    readability: form.readability,
    minNotPossible: MIN_NOT_POSSIBLE_LENGTH,
    backLink: { href: "/ideas" },
  });
}
