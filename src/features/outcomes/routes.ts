// /sessions/:id/outcome: after a session, its facilitator (or a manager) logs
// attendance, themes, reflections and the group's ideas. Works without
// JavaScript: "Add another idea" and "Remove" are submit buttons that re-render
// the form with what was typed. Drafts keep everything; the final save creates
// the ideas and marks the session held in one transaction.
// The same words for consent everywhere on the staff side ("Public board", not "Public").
import crypto from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../../app.js";
import { ConflictError } from "../../lib/errors.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { describeKinds, highlightSegments, KIND_LABELS } from "../../lib/identifying-details.js";
import { checkMessage, type CheckKey } from "../../lib/text-check.js";
import { MANAGERS_AND_FACILITATORS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { CONSENT_HINTS, CONSENT_LABELS } from "../../lib/visibility.js";
import { activeThemes } from "../themes/service.js";
import { reportBackFor } from "../report-back/service.js";
import { reportBackView } from "../report-back/view.js";
import { kindField, sessionVerdicts, validateVerdicts, verdictChecks, wordsField } from "../report-back/verdicts.js";
import { VERDICT_KINDS, VERDICT_LABELS } from "../../lib/visibility.js";
import { emptyIdea, fieldOrder, finalOutcomeSchema, formValues, isBlankIdea, MAX_IDEAS, outcomeFieldsSchema, type OutcomeValues } from "./schemas.js";
import {
  checkField, draftDataOf, finaliseOutcome, savedIdeas, saveDraft, sessionForOutcome, updateFinalOutcome,
  type Actor, type Confirmation, type FieldCheck, type OutcomeSession,
} from "./service.js";

// Who sees each consent is said once, in lib/visibility.ts.
export const CONSENT_ITEMS = [
  { value: "PUBLIC", text: CONSENT_LABELS.PUBLIC, hint: { text: `${CONSENT_HINTS.PUBLIC}.` } },
  { value: "GROUP_ONLY", text: CONSENT_LABELS.GROUP_ONLY, hint: { text: `${CONSENT_HINTS.GROUP_ONLY}.` } },
  { value: "PRACTICE_ONLY", text: CONSENT_LABELS.PRACTICE_ONLY, hint: { text: `${CONSENT_HINTS.PRACTICE_ONLY}.` } },
];


function actorOf(res: Response): Actor {
  const u = currentUser(res);
  return { practiceId: u.practice.id, userId: u.id, role: u.role };
}

/** The identifying-details check on every field that may become public (confirmation tokens are issued to this user: lib/text-check.ts). */
function checksFor(key: CheckKey, values: OutcomeValues, opts: { ideas: boolean }): Record<string, FieldCheck> {
  const checks: Record<string, FieldCheck> = {};
  const themes = checkField(key, "themesDiscussed", values.themesDiscussed, values.themesConfirmSafe);
  if (themes) checks.themesDiscussed = themes;
  if (opts.ideas) {
    values.ideas.forEach((idea, i) => {
      const c = checkField(key, `ideas-${i}-text`, idea.text, idea.confirmSafe);
      if (c) checks[`ideas-${i}-text`] = c;
    });
  }
  return checks;
}

/** Errors for each field whose identifying details are not confirmed; the confirmations to record. */
function unconfirmed(checks: Record<string, FieldCheck>, errors: FieldErrors): Confirmation[] {
  const confirmations: Confirmation[] = [];
  for (const check of Object.values(checks)) {
    if (check.confirmed) {
      confirmations.push({ field: check.field, kinds: check.kinds });
      continue;
    }
    const what = check.field === "themesDiscussed" ? "Themes discussed" : `Idea ${Number(check.field.split("-")[1]) + 1}`;
    errors[check.field] ??= checkMessage(what, check);
  }
  return confirmations;
}

export function outcomesRoutes({ prisma, sessionSecret }: AppDeps, registry: RouteSpec[]): Router {
  const router = Router();
  const keyFor = (res: Response): CheckKey => ({ secret: sessionSecret, userId: currentUser(res).id });
  const r = new SecuredRouter(router, registry);

  async function render(
    req: Request,
    res: Response,
    status: number,
    session: OutcomeSession,
    values: OutcomeValues,
    extra: { errors?: FieldErrors; restored?: boolean; focusIdea?: number } = {},
  ) {
    const user = currentUser(res);
    const final = Boolean(session.outcome && !session.outcome.isDraft);
    const [themes, ideas, reportBack, verdicts] = await Promise.all([
      activeThemes(prisma, user.practice.id),
      final ? savedIdeas(prisma, user.practice.id, session.id) : Promise.resolve([]),
      final ? Promise.resolve(null) : reportBackOf(session),
      final ? sessionVerdicts(prisma, user.practice.id, session.id) : Promise.resolve([]),
    ]);
    const errors = extra.errors ?? {};
    const verdictOrder = reportBack ? reportBack.items.flatMap((i) => [kindField(i.ideaId), wordsField(i.ideaId)]) : [];
    res.status(status).render("outcomes/form", {
      title: final ? `Outcome of ${session.title}` : `Log the outcome of ${session.title}`,
      session,
      final,
      draft: Boolean(session.outcome?.isDraft),
      savedIdeas: ideas,
      themes,
      values,
      errors,
      errorList: errorList(errors, ["verdicts", ...fieldOrder(values.ideas.length), ...verdictOrder]),
      checks: { ...checksFor(keyFor(res), values, { ideas: !final }), ...verdictChecks(keyFor(res), values.verdicts ?? []) },
      reportBack: reportBack ? reportBackView(reportBack) : null,
      verdictValues: Object.fromEntries((values.verdicts ?? []).map((v) => [v.ideaId, v])),
      savedVerdicts: verdicts,
      verdictItems: VERDICT_KINDS.map((k) => ({ value: k, text: VERDICT_LABELS[k] })),
      verdictLabels: VERDICT_LABELS,
      restored: Boolean(extra.restored),
      focusIdea: extra.focusIdea,
      consentItems: CONSENT_ITEMS,
      consentLabels: CONSENT_LABELS,
      kindLabels: KIND_LABELS,
      highlightSegments,
      describeKinds,
      maxIdeas: MAX_IDEAS,
      backLink: { href: `/sessions/${session.id}` },
    });
  }

  /** The session's report-back list: the ideas the group may give a verdict on. */
  function reportBackOf(session: OutcomeSession) {
    return reportBackFor(prisma, { id: session.id, practiceId: session.practiceId, groupId: session.groupId, startsAt: session.startsAt });
  }

  function renderUnavailable(res: Response, session: OutcomeSession, unavailable: { heading: string; message: string }) {
    res.status(403).render("outcomes/unavailable", { title: unavailable.heading, session, unavailable, backLink: { href: `/sessions/${session.id}` } });
  }

  /** The form's values when opening the page: the saved outcome, the draft, or a fresh form. */
  function storedValues(session: OutcomeSession): OutcomeValues {
    const outcome = session.outcome;
    const draft = draftDataOf(outcome);
    if (outcome?.isDraft && draft.form) {
      const v = formValues(draft.form);
      return { ...v, submissionId: draft.submissionId || v.submissionId || crypto.randomUUID() };
    }
    return {
      attendanceCount: outcome?.attendanceCount != null ? String(outcome.attendanceCount) : "",
      themesDiscussed: outcome?.themesDiscussed ?? "",
      themesConfirmSafe: "",
      processReflection: outcome?.processReflection ?? "",
      privateReflections: outcome?.privateReflections ?? "",
      submissionId: draft.submissionId ?? crypto.randomUUID(),
      ideas: outcome && !outcome.isDraft ? [] : [emptyIdea()],
    };
  }

  r.get("/sessions/:id/outcome", MANAGERS_AND_FACILITATORS, async (req, res) => {
    const { session, unavailable } = await sessionForOutcome(prisma, actorOf(res), String(req.params.id));
    if (unavailable) return renderUnavailable(res, session, unavailable);
    // A form posted after the session expired: put back what was typed (it was not saved).
    const pending = req.session.pendingForm;
    if (pending && pending.path === req.originalUrl) {
      delete req.session.pendingForm;
      const values = formValues(pending.body);
      if (!values.submissionId) values.submissionId = storedValues(session).submissionId;
      if (values.ideas.length === 0 && !(session.outcome && !session.outcome.isDraft)) values.ideas.push(emptyIdea());
      return render(req, res, 200, session, values, { restored: true });
    }
    await render(req, res, 200, session, storedValues(session));
  });

  r.post("/sessions/:id/outcome", MANAGERS_AND_FACILITATORS, async (req, res) => {
    const actor = actorOf(res);
    const { session, unavailable } = await sessionForOutcome(prisma, actor, String(req.params.id));
    if (unavailable) return renderUnavailable(res, session, unavailable);
    const values = formValues(req.body);
    if (!values.submissionId) values.submissionId = crypto.randomUUID();
    const action = typeof req.body?.action === "string" ? req.body.action : "save";
    const final = Boolean(session.outcome && !session.outcome.isDraft);
    const here = `/sessions/${session.id}/outcome`;

    if (final) {
      // The original form again (back and resubmit, double click): nothing is saved twice.
      if (req.body?.mode === "new") {
        if (draftDataOf(session.outcome).submissionId === values.submissionId) {
          req.session.flash = { type: "info", text: "This outcome was already saved. Nothing was saved twice." };
          return res.redirect(303, here);
        }
        throw new ConflictError("The outcome of this session was already logged");
      }
      const v = validate(outcomeFieldsSchema, values);
      const errors: FieldErrors = v.ok ? {} : { ...v.errors };
      const confirmations = unconfirmed(checksFor(keyFor(res), values, { ideas: false }), errors);
      if (!v.ok || Object.keys(errors).length) return render(req, res, 400, session, values, { errors });
      const result = await updateFinalOutcome(prisma, actor, session, v.data, confirmations);
      req.session.flash = { type: "success", text: result.changed ? "Outcome updated" : "No changes to save" };
      return res.redirect(303, here);
    }

    // Add and remove ideas without JavaScript: re-render with what was typed, save nothing.
    if (action === "add") {
      if (values.ideas.length < MAX_IDEAS) values.ideas.push(emptyIdea());
      return render(req, res, 200, session, values, { focusIdea: values.ideas.length - 1 });
    }
    const remove = /^remove-(\d+)$/.exec(action);
    if (remove) {
      const i = Number(remove[1]);
      if (i < values.ideas.length) values.ideas.splice(i, 1);
      return render(req, res, 200, session, values);
    }

    if (action === "draft") {
      const saved = await saveDraft(prisma, actor, session, values);
      if (saved === "final") {
        req.session.flash = { type: "info", text: "This outcome was already saved, so the draft was not kept." };
        return res.redirect(303, here);
      }
      const warn = Object.keys(checksFor(keyFor(res), values, { ideas: true })).length > 0;
      req.session.flash = {
        type: warn ? "info" : "success",
        text: warn
          ? "Draft saved. Some text may identify someone: check the highlighted parts before you save the outcome."
          : "Draft saved. You can finish it later from this page.",
      };
      return res.redirect(303, here);
    }

    // The final save. Rows left completely empty are dropped, not errors.
    const kept = values.ideas.filter((i) => !isBlankIdea(i));
    const checkedValues = { ...values, ideas: kept };
    const v = validate(finalOutcomeSchema, checkedValues);
    const errors: FieldErrors = v.ok ? {} : { ...v.errors };
    const themes = await activeThemes(prisma, actor.practiceId);
    const themeIds = new Set(themes.map((t) => t.id));
    kept.forEach((idea, i) => {
      if (idea.themeId && !themeIds.has(idea.themeId)) errors[`ideas-${i}-themeId`] = "Select a theme from the list";
    });
    const confirmations = unconfirmed(checksFor(keyFor(res), checkedValues, { ideas: true }), errors);
    // What the group said about the practice's answers: only for ideas on this session's report-back list.
    const verdicts = validateVerdicts(values.verdicts ?? [], await reportBackOf(session), verdictChecks(keyFor(res), values.verdicts ?? []), errors);
    if (!v.ok || Object.keys(errors).length) {
      if (kept.length === 0) checkedValues.ideas = [emptyIdea()];
      return render(req, res, 400, session, checkedValues, { errors });
    }
    const result = await finaliseOutcome(prisma, actor, session, v.data, { submissionId: values.submissionId, confirmations, verdicts });
    if (result.status === "conflict") throw new ConflictError("The outcome of this session was already logged");
    req.session.flash =
      result.status === "duplicate"
        ? { type: "info", text: "This outcome was already saved. Nothing was saved twice." }
        : {
            type: "success",
            text: `Outcome saved with ${result.ideaIds.length} ${result.ideaIds.length === 1 ? "idea" : "ideas"}. The session is marked as held.`,
          };
    res.redirect(303, here);
  });

  return router;
}
