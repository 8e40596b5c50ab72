// Translations (issue 18):
//   /groups/:id/languages            which of the public pages' languages the group's members read (managers)
//   /ideas/:id/responses/:responseId/translations   add a person-written translation of a public response (managers)
//   /translations                    public and group-visible responses lacking a translation into their group's languages (staff)
import crypto from "node:crypto";
import { Router, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../../services.js";
import type { TranslatorRole } from "../../generated/prisma/enums.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { isUuid, ALL_STAFF, MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentTranslations, translationVersions } from "./versions.js";
import { checkField, checkMessage, type CheckKey } from "../../lib/text-check.js";
import { currentUser } from "../../middleware/auth.js";
import {
  languageName,
  TRANSLATION_CODES, TRANSLATION_LANGUAGES, TRANSLATOR_ROLE_LABELS, TRANSLATOR_ROLES, type TranslatableResponse,
} from "./service.js";

export const MAX_TRANSLATION = 5000;

const translationSchema = z.object({
  language: z.string().refine((c) => TRANSLATION_CODES.includes(c), "Select the language of the translation"),
  text: z.string().trim().min(1, "Enter the translation").max(MAX_TRANSLATION, "The translation must be 5,000 characters or fewer"),
  role: z.enum(TRANSLATOR_ROLES as [TranslatorRole, ...TranslatorRole[]], { errorMap: () => ({ message: "Select who wrote the translation" }) }),
});
const FIELD_ORDER = ["language", "text", "role"];

const str = (v: unknown) => (typeof v === "string" ? v : "");
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

export function translationsRoutes({ services, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const { groupForLanguages, setReadingLanguages, translatableResponse, addTranslation, missingTranslations } = services.translations;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const keyFor = (res: Response): CheckKey => ({ secret: sessionSecret, userId: currentUser(res).id });

  // ---- a group's reading languages ----
  r.get("/groups/:id/languages", MANAGERS, async (req, res) => {
    const group = await groupForLanguages(currentUser(res).practice.id, String(req.params.id));
    res.render("translations/languages", { title: `Languages ${group.name} reads`, group, languages: TRANSLATION_LANGUAGES, values: { readingLanguages: group.readingLanguages }, backLink: { href: `/groups/${group.id}` } });
  });

  r.post("/groups/:id/languages", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const group = await groupForLanguages(user.practice.id, String(req.params.id));
    const codes = asList(req.body?.readingLanguages);
    if (codes.some((c) => !TRANSLATION_CODES.includes(c))) {
      const errors = { readingLanguages: "Select languages from the list" };
      return res.status(400).render("translations/languages", { title: `Languages ${group.name} reads`, group, languages: TRANSLATION_LANGUAGES, values: { readingLanguages: codes }, errors, errorList: errorList(errors), backLink: { href: `/groups/${group.id}` } });
    }
    const changed = await setReadingLanguages({ practiceId: user.practice.id, userId: user.id }, group.id, codes);
    req.session.flash = { type: "success", text: changed ? `The languages ${group.name} reads were saved` : "No changes to save" };
    res.redirect(303, `/groups/${group.id}/languages`);
  });

  // ---- add a translation of a public response ----
  function renderForm(res: Response, status: number, response: TranslatableResponse, values: Record<string, string>, errors: FieldErrors = {}, check?: ReturnType<typeof checkField>) {
    const readFirst = response.idea.group.readingLanguages;
    // A second translation into a language replaces the first on the public
    // pages (the newest is shown; the earlier stays in the record): say so
    // before saving, on the language's choice and, once a language is chosen
    // (?language=, or the form sent back with an error), with its current text.
    const current = currentTranslations(response.translations);
    const englishName = (code: string) => TRANSLATION_LANGUAGES.find((l) => l.code === code)?.english ?? code;
    const replacing = values.language ? current.get(values.language) : undefined;
    res.status(status).render("translations/form", {
      title: "Add a translation of a response",
      response,
      values,
      errors,
      errorList: errorList(errors, FIELD_ORDER),
      check,
      languageItems: [...TRANSLATION_LANGUAGES].sort((a, b) => Number(readFirst.includes(b.code)) - Number(readFirst.includes(a.code)))
        .map((l) => {
          const hints = [readFirst.includes(l.code) ? "The group reads this language." : "", current.has(l.code) ? `A new translation replaces the current ${l.english} one.` : ""].filter(Boolean);
          return { value: l.code, text: l.label, hint: hints.length ? { text: hints.join(" ") } : undefined };
        }),
      replacing: replacing ? { ...replacing, languageEnglish: englishName(replacing.language) } : undefined,
      translationVersions,
      roleItems: TRANSLATOR_ROLES.map((r) => ({ value: r, text: TRANSLATOR_ROLE_LABELS[r] })),
      languageName,
      roleLabels: TRANSLATOR_ROLE_LABELS,
      languageDir: (code: string) => TRANSLATION_LANGUAGES.find((l) => l.code === code)?.dir ?? "auto",
      backLink: { href: `/ideas/${response.idea.id}#timeline` },
    });
  }

  r.get("/ideas/:id/responses/:responseId/translations", MANAGERS, async (req, res) => {
    const response = await translatableResponse(currentUser(res).practice.id, String(req.params.id), String(req.params.responseId));
    renderForm(res, 200, response, { language: str(req.query.language), text: "", role: "", formId: crypto.randomUUID() });
  });

  r.post("/ideas/:id/responses/:responseId/translations", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const response = await translatableResponse(user.practice.id, String(req.params.id), String(req.params.responseId));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { language: str(body.language), text: str(body.text), role: str(body.role), formId: isUuid(body.formId) ? String(body.formId) : crypto.randomUUID(), textConfirmSafe: str(body.textConfirmSafe) };
    const v = validate(translationSchema, values);
    const errors: FieldErrors = v.ok ? {} : { ...v.errors };
    // A translation is text like any public response: checked for identifying details.
    const check = checkField(keyFor(res), "translation-text", values.text.trim(), values.textConfirmSafe);
    if (check && !check.confirmed) errors.text ??= checkMessage("The translation", check);
    if (!v.ok || Object.keys(errors).length) return renderForm(res, 400, response, values, errors, check);
    const saved = await addTranslation({ practiceId: user.practice.id, userId: user.id }, response, v.data, check ? check.kinds : null, values.formId);
    req.session.flash = saved.duplicate
      ? { type: "info", text: "This translation was already saved. Nothing was saved twice." }
      : { type: "success", text: `Translation into ${languageName(v.data.language)} saved. Visitors who choose ${languageName(v.data.language)} now see it, with the original one click away.` };
    res.redirect(303, `/ideas/${response.idea.id}#response-${response.id}`);
  });

  // ---- responses lacking a translation ----
  r.get("/translations", ALL_STAFF, async (_req, res) => {
    const user = currentUser(res);
    const missing = await missingTranslations({ practiceId: user.practice.id, userId: user.id, role: user.role }, 100);
    res.render("translations/index", { title: "Responses waiting for a translation", missing, languageName, canTranslate: user.role === "MANAGER", backLink: { href: "/dashboard" } });
  });

  return router;
}
