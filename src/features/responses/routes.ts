// Managers answer an idea: POST /ideas/:id/responses (the form is on /ideas/:id).
// Responses are append-only: there are no routes to edit or delete one.
import { formIdFor } from "../../lib/idempotency.js";
import { Router } from "express";
import type { AppContext } from "../../services.js";
import { validate } from "../../lib/forms.js";
import { readability } from "../../lib/readability.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { renderIdeaPage } from "../ideas/page.js";
import { redirectAfterSave } from "../../lib/session.js";
import { responseSchema } from "./schemas.js";
import { reopenedContext, reopenedResponseErrors } from "./service.js";
import { checkField, checkMessage } from "../../lib/text-check.js";
import { checkReadingAge, readingAgeCheckMessage } from "../../lib/reading-age-check.js";

export function responsesRoutes({ services, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const { createResponse } = services.responses;
  const { getIdeaDetail } = services.ideas;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.post("/ideas/:id/responses", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const idea = await getIdeaDetail(user.practice.id, String(req.params.id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const formId = formIdFor(body);
    const values = { status: body.status, text: body.text, targetDate: body.targetDate, isPublic: body.isPublic, formId, textConfirmSafe: body.textConfirmSafe, readingAgeConfirm: body.readingAgeConfirm };
    const text = typeof body.text === "string" ? body.text : "";
    const score = readability(text);
    // "Check readability": show the score, save nothing.
    if (body.action === "check") {
      return renderIdeaPage(res, idea, { values, readability: score, errors: score ? {} : { text: "Enter some text to check how easy it is to read" }, status: score ? 200 : 400 });
    }
    // Every problem in one round (they do not depend on each other): the schema's errors, the rules of a reopened
    // idea (read from the answers as typed, so "make it public" and "explain why" come together), and, on a public
    // text with no error of its own, the identifying-details and reading-age checks, as the outcome form does.
    // createResponse checks the reopened rules again in its transaction.
    const v = validate(responseSchema, body);
    const errors: Record<string, string> = v.ok ? {} : { ...v.errors };
    const typedPublic = body.isPublic === "yes" ? true : body.isPublic === "no" ? false : undefined;
    const typedText = text.trim();
    const reopenedErrors = reopenedResponseErrors(reopenedContext(idea), { text: typedText, isPublic: typedPublic ?? true });
    for (const [k, m] of Object.entries(reopenedErrors)) errors[k] ??= m;
    // A public response reaches the group's board, the public board and the feed: the identifying-details
    // check, and the reading-age check (above the target, the writer simplifies or confirms). Both can ask at once.
    const key = { secret: sessionSecret, userId: user.id };
    const checkText = typedPublic === true && typedText !== "" && !errors.text;
    const textCheck = checkText ? checkField(key, "text", typedText, body.textConfirmSafe) : undefined;
    const readingCheck = checkText ? checkReadingAge(key, "text", typedText, body.readingAgeConfirm) : undefined;
    if (textCheck && !textCheck.confirmed) errors.text = checkMessage("The response", textCheck);
    if (readingCheck && !readingCheck.confirmed) errors.readingAgeConfirm = readingAgeCheckMessage("The response", readingCheck);
    if (!v.ok || Object.keys(errors).length) return renderIdeaPage(res, idea, { values, errors, readability: score, textCheck, readingCheck, status: 400 });
    const result = await createResponse(user.practice.id, idea.id, { id: user.id, role: user.role }, v.data, formId, undefined,
      readingCheck ? { readingAge: { readingAge: readingCheck.readability.readingAge, target: readingCheck.target, confirmed: true } } : undefined,
      textCheck?.kinds);
    // Refused by the rules of a reopened idea as it is now (a verdict saved since the form was opened): the page as it is now, with the errors.
    if (!result.ok) return renderIdeaPage(res, await getIdeaDetail(user.practice.id, idea.id), { values, errors: result.errors, readability: score, status: 400 });
    // Not created: the same form submitted twice, or the same response submitted again after Back: nothing saved, the timeline shows the first.
    req.session.flash = result.created ? { type: "success", text: "Response added" } : { type: "info", text: "This response was already added. Nothing was saved twice." };
    await redirectAfterSave(req, res, `/ideas/${idea.id}#timeline`);
  });

  return router;
}
