// A session planned step by step (managers): a task list, one short page per
// section, check your answers, "Schedule session". The rules and every
// database access are in draft.ts; this file reads requests and renders.
//   POST /sessions/drafts                    start a draft (from /sessions/new: "Plan it step by step", or "Save and finish later")
//   GET  /sessions/drafts/:id                the task list
//   GET  /sessions/drafts/:id/check          check your answers
//   POST /sessions/drafts/:id/schedule       schedule the session
//   POST /sessions/drafts/:id/delete         delete the draft
//   GET|POST /sessions/drafts/:id/:section   one section
import type { Request, Response } from "express";
import type { Services } from "../../services.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { formIdOf } from "../../lib/idempotency.js";
import { isUuid, MANAGERS, type SecuredRouter } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import {
  draftDataOf, draftTitle, draftValuesFrom, formErrors,
  SECTION_STATUS_LABELS, sectionErrors, sectionOf, SECTIONS, sectionStatuses, type DraftValues, type SectionKey, type SessionDraftRow,
} from "./draft.js";
import { sectionAnswers } from "./answers.js";
import { CHECKED_SESSION_TEXTS, checkSessionTexts, confirmsFrom } from "./text-checks.js";
import { DEFAULT_CONFIDENTIALITY, DEFAULT_GROUND_RULES, PRESENCE, PRINCIPLES, SESSION_FIELDS, versionSchema } from "./schemas.js";

const OUT_OF_DATE = "This draft was changed in another window or by someone else after you opened this page, so this was not saved. What you typed is still below: save again to keep it";

function actorOf(res: Response) {
  const u = currentUser(res);
  return { practiceId: u.practice.id, userId: u.id };
}

const base = (id: string) => `/sessions/drafts/${id}`;

export function sessionDraftRoutes(services: Services, r: SecuredRouter, sessionSecret: string): void {
  const {
    createDraft, deleteDraft, getDraft, referenceErrors, saveSection, scheduleDraft, scheduledFrom, facilitatorChoices, facilitatorNames, groupChoices, groupDefaults,
  } = services.sessions;
  const { partnerChoices } = services.partners;
  const checkKey = (res: Response) => ({ secret: sessionSecret, userId: currentUser(res).id });
  async function load(req: Request, res: Response): Promise<SessionDraftRow | undefined> {
    const practiceId = currentUser(res).practice.id;
    const id = String(req.params.id);
    // A draft already scheduled: its old links lead to the session it became.
    const became = await scheduledFrom(practiceId, id);
    if (became) {
      res.redirect(303, `/sessions/${became}`);
      return undefined;
    }
    return getDraft(practiceId, id);
  }

  // ---- start ----
  r.post("/sessions/drafts", MANAGERS, async (req, res) => {
    const formId = formIdOf(req.body);
    if (!formId) {
      res.status(400).render("errors/400", { title: "The form had expired", message: "Nothing was saved. Go back, reload the page and try again." });
      return;
    }
    const steps = req.body?.start === "steps";
    const practiceId = currentUser(res).practice.id;
    const values = steps
      ? { online: "no", practicePresence: "NONE", groundRules: DEFAULT_GROUND_RULES, confidentiality: DEFAULT_CONFIDENTIALITY, ...draftValuesFrom(req.body, ["groupId"]) }
      : ({ ...draftValuesFrom(req.body), ...confirmsFrom(req.body) } as DraftValues);
    if (steps && isUuid(values.groupId)) Object.assign(values, await groupDefaults(practiceId, values.groupId));
    // From the one-page form every section was seen: each is Completed if it passes its checks.
    const visited: SectionKey[] = steps ? [] : SECTIONS.map((s) => s.key);
    const { id } = await createDraft(actorOf(res), values, visited, formId);
    if (!steps) req.session.flash = { type: "success", text: "Draft saved. Finish it one section at a time, then schedule the session." };
    res.redirect(303, base(id));
  });

  // ---- the task list ----
  r.get("/sessions/drafts/:id", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    const data = draftDataOf(draft);
    const { statuses, ready } = sectionStatuses(data);
    const completed = SECTIONS.filter((s) => statuses[s.key] === "COMPLETED").length;
    res.render("sessions/draft-tasks", {
      title: `Plan a session: ${draftTitle(data.values)}`,
      draft, draftTitle: draftTitle(data.values), sections: SECTIONS, statuses, statusLabels: SECTION_STATUS_LABELS, ready, completed,
      version: draft.version, backLink: { href: "/sessions" },
    });
  });

  // ---- check your answers ----
  async function renderCheck(res: Response, draft: SessionDraftRow, status = 200, errors: FieldErrors = {}) {
    const practiceId = currentUser(res).practice.id;
    const { values } = draftDataOf(draft);
    const [groups, partners, facilitators] = await Promise.all([
      groupChoices(practiceId, String(values.groupId ?? "")),
      partnerChoices(practiceId, String(values.partnerId ?? "")),
      facilitatorNames(practiceId, (Array.isArray(values.facilitatorIds) ? values.facilitatorIds : []).filter(isUuid)),
    ]);
    // Errors point at the section where they are put right.
    const bySection = Object.fromEntries(SECTIONS.map((s) => [s.key, Object.values(sectionErrors(s.key, errors))]));
    const list = SECTIONS.flatMap((s) => bySection[s.key]!.map((text) => ({ text, href: `#section-${s.key}` })));
    for (const [k, text] of Object.entries(errors)) if (k === "conflict") list.unshift({ text, href: "#section-group" });
    const summary = sectionAnswers(values, {
      group: groups.find((g) => g.id === values.groupId)?.name ?? "",
      partner: partners.find((p) => p.id === values.partnerId)?.name ?? "",
      facilitators: facilitators.map((f) => f.name),
    });
    res.status(status).render("sessions/draft-check", {
      title: "Check the session before you schedule it",
      draft, draftTitle: draftTitle(values), sections: SECTIONS, summary, bySection, errors, errorList: list, version: draft.version,
      backLink: { href: base(draft.id) },
    });
  }

  r.get("/sessions/drafts/:id/check", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    if (!sectionStatuses(draftDataOf(draft)).ready) return res.redirect(303, base(draft.id));
    await renderCheck(res, draft);
  });

  r.post("/sessions/drafts/:id/schedule", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    const version = validate(versionSchema, req.body?.version);
    if (!version.ok) return renderCheck(res, draft, 400, { conflict: "The page was out of date: check the session again, then schedule it" });
    // The title and venue reach e-mails and calendar feeds (text-checks.ts): confirmed on their section's page, by this manager.
    const { values } = draftDataOf(draft);
    const texts = checkSessionTexts(checkKey(res), values, values);
    if (Object.keys(texts.errors).length) return renderCheck(res, draft, 400, texts.errors);
    const result = await scheduleDraft(actorOf(res), draft, version.data, undefined, texts.confirmedKinds);
    if (result.status === "invalid") return renderCheck(res, draft, 400, result.errors);
    if (result.status === "conflict") {
      return renderCheck(res, await getDraft(draft.practiceId, draft.id), 409, { conflict: "This draft was changed after you opened this page. Check it again, then schedule it" });
    }
    req.session.flash = result.status === "scheduled"
      ? { type: "success", text: `${result.title} scheduled` }
      : { type: "info", text: "This session was already scheduled. Nothing was saved twice." };
    res.redirect(303, `/sessions/${result.sessionId}`);
  });

  r.post("/sessions/drafts/:id/delete", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    const version = validate(versionSchema, req.body?.version);
    if (!version.ok) {
      res.status(400).render("errors/400", { title: "The page was out of date", message: "Nothing was deleted. Go back, reload the page and try again." });
      return;
    }
    const deleted = await deleteDraft(actorOf(res), draft, version.data);
    req.session.flash = deleted
      ? { type: "success", text: `The draft "${draftTitle(draftDataOf(draft).values)}" was deleted` }
      : { type: "info", text: "The draft was changed after you opened it, so it was not deleted. Check it, then delete it again" };
    res.redirect(303, deleted ? "/sessions" : base(draft.id));
  });

  // ---- one section ----
  async function renderSection(
    res: Response, draft: SessionDraftRow, key: SectionKey, values: DraftValues, status = 200, errors: FieldErrors = {}, version = draft.version, fromCheck = false,
  ) {
    const practiceId = currentUser(res).practice.id;
    const section = sectionOf(key)!;
    const fields: readonly string[] = section.fields;
    // A flagged title or venue on this page: asked about here (with a confirmation this manager made kept checked).
    const textChecks = checkSessionTexts(checkKey(res), values, values, (f) => fields.includes(f)).checks;
    const [groups, partners, facilitators] = await Promise.all([
      key === "group" ? groupChoices(practiceId, String(values.groupId ?? "")) : Promise.resolve([]),
      key === "group" ? partnerChoices(practiceId, String(values.partnerId ?? "")) : Promise.resolve([]),
      key === "facilitators" ? facilitatorChoices(practiceId) : Promise.resolve([]),
    ]);
    res.status(status).render("sessions/draft-section", {
      title: section.title,
      draft, draftTitle: draftTitle(draftDataOf(draft).values), section, values, errors,
      errorList: errorList(errors, ["conflict", ...SESSION_FIELDS]),
      groupItems: [{ value: "", text: "Select a group" }, ...groups.map((g) => ({ value: g.id, text: g.archivedAt ? `${g.name} (archived)` : g.name }))],
      partnerItems: [{ value: "", text: "No partner organisation" }, ...partners.map((p) => ({ value: p.id, text: p.archivedAt ? `${p.name} (archived)` : p.name }))],
      facilitatorItems: facilitators.map((f) => ({ value: f.id, text: f.name, hint: f.role === "MANAGER" ? { text: "Practice manager" } : undefined })),
      groupHint: undefined, presence: PRESENCE, principles: PRINCIPLES, version, fromCheck, textChecks,
      // Opened from "Change" on check your answers: back there (draft-check.ejs).
      backLink: { href: fromCheck ? `${base(draft.id)}/check` : base(draft.id) },
    });
  }

  r.get("/sessions/drafts/:id/:section", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    const section = sectionOf(req.params.section);
    if (!section) return res.status(404).render("errors/404", { title: "Page not found" });
    const data = draftDataOf(draft);
    if (sectionStatuses(data).statuses[section.key] === "CANNOT_START") return res.redirect(303, base(draft.id));
    await renderSection(res, draft, section.key, data.values, 200, {}, draft.version, req.query.from === "check");
  });

  r.post("/sessions/drafts/:id/:section", MANAGERS, async (req, res) => {
    const draft = await load(req, res);
    if (!draft) return;
    const section = sectionOf(req.params.section);
    if (!section) return res.status(404).render("errors/404", { title: "Page not found" });
    const data = draftDataOf(draft);
    const fromCheck = req.body?.from === "check";
    // The confirmations of this page's checked texts are kept with the draft (checked again at "Schedule session").
    const fields: readonly string[] = section.fields;
    const posted = confirmsFrom(req.body);
    const confirms = Object.fromEntries(CHECKED_SESSION_TEXTS.filter((t) => fields.includes(t.field)).map((t) => [t.confirm, posted[t.confirm] ?? ""]));
    const typed = { ...draftValuesFrom(req.body, section.fields), ...confirms };
    const merged = { ...data.values, ...typed };
    const version = validate(versionSchema, req.body?.version);
    if (!version.ok) return renderSection(res, draft, section.key, merged, 400, { conflict: "The page was out of date: reload it and make your changes again" }, draft.version, fromCheck);
    // "Save and come back later" keeps what was typed whatever is missing; "Save and continue" checks the section first.
    const later = req.body?.action === "later";
    if (!later) {
      let errors = sectionErrors(section.key, formErrors(merged));
      if (Object.keys(errors).length === 0) errors = await referenceErrors(draft.practiceId, merged, section.key);
      errors = { ...errors, ...checkSessionTexts(checkKey(res), merged, merged, (f) => fields.includes(f)).errors };
      if (Object.keys(errors).length) return renderSection(res, draft, section.key, merged, 400, errors, draft.version, fromCheck);
    }
    // A group chosen for the first time proposes what suits it (venue, languages, access needs) where nothing was typed yet.
    const extra: DraftValues = {};
    if (section.key === "group" && isUuid(typed.groupId) && typed.groupId !== data.values.groupId) {
      const defaults = await groupDefaults(draft.practiceId, typed.groupId);
      for (const k of ["venueName", "interpreterLanguages", "venueAccessibility"]) if (!data.values[k] && defaults[k]) extra[k] = defaults[k];
    }
    const saved = await saveSection(actorOf(res), draft, version.data, section.key, { ...extra, ...typed }, !later);
    if (!saved) {
      const current = await getDraft(draft.practiceId, draft.id);
      return renderSection(res, current, section.key, merged, 409, { conflict: OUT_OF_DATE }, current.version, fromCheck);
    }
    req.session.flash = later
      ? { type: "success", text: `${section.title}: saved. You can come back to it later.` }
      : { type: "success", text: `${section.title}: saved` };
    // Changed from check your answers: back there (it sends on to the task list if something is now incomplete).
    res.redirect(303, fromCheck && !later ? `${base(draft.id)}/check` : base(draft.id));
  });
}
