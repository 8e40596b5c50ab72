// /sessions/:id/outcome: after a session, its facilitator (or a manager) logs
// attendance, themes, reflections and the group's ideas. Works without
// JavaScript: "Add another idea" and "Remove" are submit buttons that re-render
// the form with what was typed. Drafts keep everything; the final save creates
// the ideas and marks the session held in one transaction.
// The same words for consent everywhere on the staff side ("Public board", not "Public").
import crypto from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { ConflictError } from "../../lib/errors.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { describeKinds, highlightSegments, KIND_LABELS } from "../../lib/identifying-details.js";
import { checkField, checkMessage, type CheckKey, type FieldCheck } from "../../lib/text-check.js";
import { MANAGERS_AND_FACILITATORS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { CONSENT_LABELS, consentItems, MAX_IDEA_LENGTH, VERDICT_KINDS, VERDICT_LABELS } from "../../lib/vocabulary.js";
import { reportBackView } from "../report-back/view.js";
import { kindField, validateVerdicts, verdictChecks, wordsField } from "../report-back/verdicts.js";
import { emptyIdea, fieldOrder, finalOutcomeSchema, formValues, ideaError, isBlankIdea, MAX_IDEAS, namingIdeas, outcomeFieldsSchema, type OutcomeValues } from "./schemas.js";
import {
  draftDataOf, draftVersionOf,
  type Actor, type Confirmation, type OutcomeSession,
} from "./service.js";
import { newerDraftMessage, outcomeAutosaveRoutes } from "./autosave.js";

// Who sees each consent is said once, in lib/vocabulary.ts.
const CONSENT_ITEMS = consentItems();


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

export function outcomesRoutes({ services, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const { finaliseOutcome, savedIdeas, saveDraft, sessionForOutcome, updateFinalOutcome } = services.outcomes;
  const { activeThemes } = services.themes;
  const { reportBackFor, sessionVerdicts } = services.reportBack;
  const router = Router();
  const keyFor = (res: Response): CheckKey => ({ secret: sessionSecret, userId: currentUser(res).id });
  const r = new SecuredRouter(router, registry);

  async function render(
    req: Request,
    res: Response,
    status: number,
    session: OutcomeSession,
    values: OutcomeValues,
    extra: { errors?: FieldErrors; restored?: "saved" | "not-saved"; focusIdea?: number; draftVersion?: number } = {},
  ) {
    const user = currentUser(res);
    const final = Boolean(session.outcome && !session.outcome.isDraft);
    const [themes, ideas, reportBack, verdicts] = await Promise.all([
      activeThemes(user.practice.id),
      final ? savedIdeas(user.practice.id, session.id) : Promise.resolve([]),
      final ? Promise.resolve(null) : reportBackOf(session),
      final ? sessionVerdicts(user.practice.id, session.id) : Promise.resolve([]),
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
      errorList: errorList(errors, ["conflict", "verdicts", ...fieldOrder(values.ideas.length), ...verdictOrder]),
      checks: { ...checksFor(keyFor(res), values, { ideas: !final }), ...verdictChecks(keyFor(res), values.verdicts ?? []) },
      reportBack: reportBack ? reportBackView(reportBack) : null,
      verdictValues: Object.fromEntries((values.verdicts ?? []).map((v) => [v.ideaId, v])),
      savedVerdicts: verdicts,
      verdictItems: VERDICT_KINDS.map((k) => ({ value: k, text: VERDICT_LABELS[k] })),
      verdictLabels: VERDICT_LABELS,
      restored: extra.restored ?? false,
      // The draft version this page continues: every submit and the autosave (autosave.ts) send it back.
      draftVersion: extra.draftVersion ?? (session.outcome?.isDraft ? session.outcome.version : 0),
      focusIdea: extra.focusIdea,
      consentItems: CONSENT_ITEMS,
      consentLabels: CONSENT_LABELS,
      kindLabels: KIND_LABELS,
      highlightSegments,
      describeKinds,
      maxIdeas: MAX_IDEAS,
      maxIdeaLength: MAX_IDEA_LENGTH,
      backLink: { href: `/sessions/${session.id}` },
    });
  }

  /** The session's report-back list: the ideas the group may give a verdict on. */
  function reportBackOf(session: OutcomeSession) {
    return reportBackFor({ id: session.id, practiceId: session.practiceId, groupId: session.groupId, startsAt: session.startsAt });
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
    const { session, unavailable } = await sessionForOutcome(actorOf(res), String(req.params.id));
    if (unavailable) return renderUnavailable(res, session, unavailable);
    // A form posted after the session expired: put back what was typed (it was not saved).
    const pending = req.session.pendingForm;
    if (pending && pending.path === req.originalUrl) {
      delete req.session.pendingForm;
      const values = formValues(pending.body);
      if (!values.submissionId) values.submissionId = storedValues(session).submissionId;
      if (values.ideas.length === 0 && !(session.outcome && !session.outcome.isDraft)) values.ideas.push(emptyIdea());
      // Every submit keeps a draft, this one too, now that we know who sent it (unless a newer draft exists).
      const kept = await saveDraft(actorOf(res), session, values, { basedOn: draftVersionOf(pending.body) });
      if (kept.ok) {
        return render(req, res, 200, session, values, { restored: "saved", draftVersion: kept.version });
      }
      const newer = kept.reason === "newer-draft" ? kept : undefined;
      const errors: FieldErrors = newer ? { conflict: newerDraftMessage(newer.savedAt) } : {};
      return render(req, res, newer ? 409 : 200, session, values, {
        restored: "not-saved", errors, ...(newer ? { draftVersion: newer.version } : {}),
      });
    }
    await render(req, res, 200, session, storedValues(session));
  });

  r.post("/sessions/:id/outcome", MANAGERS_AND_FACILITATORS, async (req, res) => {
    const actor = actorOf(res);
    const { session, unavailable } = await sessionForOutcome(actor, String(req.params.id));
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
      const result = await updateFinalOutcome(actor, session, v.data, confirmations);
      req.session.flash = { type: "success", text: result.changed ? "Outcome updated" : "No changes to save" };
      return res.redirect(303, here);
    }

    // Every submit keeps what was typed as the draft (add, remove, a save that fails validation), never over a newer one.
    const basedOn = draftVersionOf(req.body);
    async function keepDraft(errors: FieldErrors): Promise<{ draftVersion?: number; status: number }> {
      const kept = await saveDraft(actor, session, values, { basedOn });
      if (kept.ok) return { draftVersion: kept.version, status: 200 };
      if (kept.reason === "newer-draft") {
        errors.conflict = newerDraftMessage(kept.savedAt);
        return { draftVersion: kept.version, status: 409 };
      }
      return { status: 200 };
    }

    /** The checks of the final save, on the rows not left completely empty (those are dropped, not errors). */
    async function finalCheck(typed: OutcomeValues) {
      const kept = typed.ideas.filter((i) => !isBlankIdea(i));
      const checkedValues = { ...typed, ideas: kept };
      const v = validate(finalOutcomeSchema, checkedValues);
      // Each idea's messages name the idea ("Idea 2: select a theme"): the rows are numbered as the page shows them again.
      const errors: FieldErrors = v.ok ? {} : namingIdeas(v.errors);
      const themes = await activeThemes(actor.practiceId);
      const themeIds = new Set(themes.map((t) => t.id));
      kept.forEach((idea, i) => {
        if (idea.themeId && !themeIds.has(idea.themeId)) errors[`ideas-${i}-themeId`] = ideaError(i, "Select a theme from the list");
      });
      const confirmations = unconfirmed(checksFor(keyFor(res), checkedValues, { ideas: true }), errors);
      // What the group said about the practice's answers: only for ideas on this session's report-back list.
      const verdicts = validateVerdicts(typed.verdicts ?? [], await reportBackOf(session), verdictChecks(keyFor(res), typed.verdicts ?? []), errors);
      return { kept, checkedValues, v, errors, confirmations, verdicts };
    }

    // Add and remove ideas without JavaScript: re-render with what was typed (kept as the draft).
    // After a failed save the page shows errors, and says so (`revalidate`, views/outcomes/form.ejs; its script then lets
    // these buttons come here instead of working in the page): the round trip checks the form again as a save would, so
    // the summary says what is wrong now ("twelve": a whole number), never what was wrong before. On a form not yet
    // saved, adding or removing a row shows no errors: nothing was submitted to check.
    const revalidate = req.body?.revalidate === "yes";
    if (action === "add") {
      if (revalidate) {
        const check = await finalCheck(values);
        const rows = { ...check.checkedValues, ideas: [...check.kept, ...(check.kept.length < MAX_IDEAS ? [emptyIdea()] : [])] };
        const kept = await keepDraft(check.errors);
        return render(req, res, kept.status, session, rows, { focusIdea: rows.ideas.length - 1, errors: check.errors, draftVersion: kept.draftVersion });
      }
      if (values.ideas.length < MAX_IDEAS) values.ideas.push(emptyIdea());
      const errors: FieldErrors = {};
      const kept = await keepDraft(errors);
      return render(req, res, kept.status, session, values, { focusIdea: values.ideas.length - 1, errors, draftVersion: kept.draftVersion });
    }
    const remove = /^remove-(\d+)$/.exec(action);
    if (remove) {
      const i = Number(remove[1]);
      if (i < values.ideas.length) values.ideas.splice(i, 1);
      if (revalidate) {
        const check = await finalCheck(values);
        if (check.kept.length === 0) check.checkedValues.ideas = [emptyIdea()];
        const kept = await keepDraft(check.errors);
        return render(req, res, kept.status, session, check.checkedValues, { errors: check.errors, draftVersion: kept.draftVersion });
      }
      const errors: FieldErrors = {};
      const kept = await keepDraft(errors);
      return render(req, res, kept.status, session, values, { errors, draftVersion: kept.draftVersion });
    }

    if (action === "draft") {
      const saved = await saveDraft(actor, session, values, { basedOn });
      if (!saved.ok && saved.reason === "newer-draft") {
        return render(req, res, 409, session, values, { errors: { conflict: newerDraftMessage(saved.savedAt) }, draftVersion: saved.version });
      }
      if (!saved.ok) {
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
    const { kept, checkedValues, v, errors, confirmations, verdicts } = await finalCheck(values);
    if (!v.ok || Object.keys(errors).length) {
      // Not saved as the outcome, but kept as the draft (with the rows as typed).
      const draft = await keepDraft(errors);
      if (kept.length === 0) checkedValues.ideas = [emptyIdea()];
      return render(req, res, draft.status === 409 ? 409 : 400, session, checkedValues, { errors, draftVersion: draft.draftVersion });
    }
    const result = await finaliseOutcome(actor, session, v.data, { submissionId: values.submissionId, confirmations, basedOn, verdicts });
    if (!result.ok && result.reason === "newer-draft") {
      return render(req, res, 409, session, values, { errors: { conflict: newerDraftMessage(result.savedAt) }, draftVersion: result.version });
    }
    if (!result.ok) throw new ConflictError("The outcome of this session was already logged");
    req.session.flash =
      result.duplicate
        ? { type: "info", text: "This outcome was already saved. Nothing was saved twice." }
        : {
            type: "success",
            text: `Outcome saved with ${result.ideaIds.length} ${result.ideaIds.length === 1 ? "idea" : "ideas"}. The session is marked as held.`,
          };
    res.redirect(303, here);
  });

  outcomeAutosaveRoutes(services, r);
  return router;
}
