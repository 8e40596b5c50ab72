// Changing a session that exists (managers), one short page per section
// (issue 17). The rules and the save are in edit.ts; this file reads requests
// and renders.
//   GET  /sessions/:id/edit            the session's summary, one summary list per section, each row with "Change"
//   GET|POST /sessions/:id/edit/:section   one section, saved to the session at once, then back to the summary
import type { Request, Response } from "express";
import type { Services } from "../../services.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { formIdFor, formIdOf } from "../../lib/idempotency.js";
import { MANAGERS, type SecuredRouter } from "../../lib/routing.js";
import { NotFoundError } from "../../lib/errors.js";
import { currentUser } from "../../middleware/auth.js";
import { sectionAnswers } from "./answers.js";
import { draftValuesFrom, sectionOf, SECTIONS, type DraftValues, type SectionKey } from "./draft.js";
import { savedErrorsBySection, sectionOfField, sessionValues } from "./edit.js";
import { checkSessionTexts, confirmsFrom, type SessionTextChecks } from "./text-checks.js";
import { parseSessionForm, PRESENCE, PRINCIPLES, SESSION_FIELDS, versionSchema } from "./schemas.js";
import { allowedTransitions, STATUS_LABELS, type FullSession } from "./service.js";

const summaryOf = (id: string) => `/sessions/${id}/edit`;
const sectionUrl = (id: string, key: SectionKey) => `${summaryOf(id)}/${key}`;

const OUT_OF_DATE = "The page was out of date: reload it and make your changes again";
const CONFLICT = "Someone else changed this session after you opened this page, so your changes were not saved. What is saved now is shown below; what you typed is still in the form: save again to replace it with yours";

export function sessionEditRoutes(services: Services, r: SecuredRouter, sessionSecret: string): void {
  const { facilitatorChoices, facilitatorNames, getSession, groupChoices, saveSessionSection } = services.sessions;
  const { partnerChoices } = services.partners;

  async function load(req: Request, res: Response): Promise<FullSession> {
    return getSession(currentUser(res).practice.id, String(req.params.id));
  }

  async function answersOf(session: FullSession) {
    const names = await facilitatorNames(session.practiceId, session.facilitators.map((f) => f.userId));
    return sectionAnswers(sessionValues(session), { group: session.group.name, partner: session.partner?.name ?? "", facilitators: names.map((f) => f.name) });
  }

  // ---- the summary ----
  r.get("/sessions/:id/edit", MANAGERS, async (req, res) => {
    const session = await load(req, res);
    // A session saved before today's checks may fail one: said on its section, put right from there.
    const saved = savedErrorsBySection(session);
    res.render("sessions/edit-summary", {
      title: `Change ${session.title}`,
      session, statusLabel: STATUS_LABELS[session.status], canChangeStatus: allowedTransitions(session).length > 0,
      summary: await answersOf(session),
      bySection: Object.fromEntries(SECTIONS.map((s) => [s.key, Object.values(saved[s.key])])),
      backLink: { href: `/sessions/${session.id}` },
    });
  });

  // ---- one section ----
  async function renderSection(
    res: Response, session: FullSession, key: SectionKey,
    opts: { values: DraftValues; status?: number; errors?: FieldErrors; version?: number; formId?: string; current?: FullSession; textChecks?: SessionTextChecks["checks"] },
  ) {
    const practiceId = session.practiceId;
    const section = sectionOf(key)!;
    const errors = opts.errors ?? {};
    const assigned = session.facilitators.map((f) => f.userId);
    const [groups, partners, facilitators] = await Promise.all([
      key === "group" ? groupChoices(practiceId, session.groupId) : Promise.resolve([]),
      key === "group" ? partnerChoices(practiceId, session.partnerId ?? undefined) : Promise.resolve([]),
      key === "facilitators" ? facilitatorChoices(practiceId) : Promise.resolve([]),
    ]);
    // Someone assigned who is no longer a facilitator here stays on the list, so saving does not drop them unseen.
    const former = key === "facilitators" ? await facilitatorNames(practiceId, assigned.filter((id) => !facilitators.some((f) => f.id === id))) : [];
    // Errors on this page link to their field; an error on another section (saved values today's checks refuse) to that section's page.
    const list = errorList(errors, ["conflict", ...SESSION_FIELDS]).map((e) => {
      const field = e.href.slice(1);
      const on = sectionOfField(field);
      return on && on !== key ? { text: `${sectionOf(on)!.title}: ${e.text}`, href: `${sectionUrl(session.id, on)}#${field}` } : e;
    });
    res.status(opts.status ?? 200).render("sessions/edit-section", {
      title: `${section.title}: ${session.title}`,
      session, section, values: opts.values, errors, errorList: list,
      version: opts.version ?? session.version, formId: opts.formId ?? formIdFor(),
      current: opts.current ? (await answersOf(opts.current)).find((s) => s.key === key) : undefined,
      groupItems: [{ value: "", text: "Select a group" }, ...groups.map((g) => ({ value: g.id, text: g.archivedAt ? `${g.name} (archived)` : g.name }))],
      partnerItems: [{ value: "", text: "No partner organisation" }, ...partners.map((p) => ({ value: p.id, text: p.archivedAt ? `${p.name} (archived)` : p.name }))],
      facilitatorItems: [
        ...facilitators.map((f) => ({ value: f.id, text: f.name, hint: f.role === "MANAGER" ? { text: "Practice manager" } : undefined })),
        ...former.map((f) => ({ value: f.id, text: `${f.name} (no longer a facilitator here)` })),
      ],
      groupHint: undefined, presence: PRESENCE, principles: PRINCIPLES, textChecks: opts.textChecks ?? {},
      backLink: { href: summaryOf(session.id) },
    });
  }

  function sectionFrom(req: Request) {
    const section = sectionOf(req.params.section);
    if (!section) throw new NotFoundError();
    return section;
  }

  r.get("/sessions/:id/edit/:section", MANAGERS, async (req, res) => {
    const session = await load(req, res);
    const section = sectionFrom(req);
    await renderSection(res, session, section.key, { values: sessionValues(session) });
  });

  r.post("/sessions/:id/edit/:section", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const session = await load(req, res);
    const section = sectionFrom(req);
    const typed = draftValuesFrom(req.body, section.fields);
    const values = { ...sessionValues(session), ...typed };
    const formId = formIdFor(req.body);
    const version = validate(versionSchema, req.body?.version);
    if (!version.ok) return renderSection(res, session, section.key, { values, status: 400, errors: { conflict: OUT_OF_DATE }, formId });
    // The title and venue reach e-mails and calendar feeds (text-checks.ts): checked when this page changes them.
    const saved = sessionValues(session);
    const fields: readonly string[] = section.fields;
    const texts = checkSessionTexts({ secret: sessionSecret, userId: user.id }, values, confirmsFrom(req.body),
      (f) => fields.includes(f) && String(values[f] ?? "").trim() !== String(saved[f] ?? "").trim());
    // Not confirmed: nothing saved, and the form's own errors on this page are shown with it (all at once).
    const formErrors = () => { const p = parseSessionForm(values); return p.ok ? {} : p.errors; };
    const result = Object.keys(texts.errors).length
      ? ({ ok: false, reason: "invalid", errors: { ...formErrors(), ...texts.errors } } as const)
      : await saveSessionSection({ practiceId: user.practice.id, userId: user.id }, session, section.key, typed, version.data, formIdOf(req.body), undefined, texts.confirmedKinds);
    if (!result.ok && result.reason === "invalid") {
      return renderSection(res, session, section.key, { values, status: 400, errors: { ...result.errors, ...texts.errors }, version: version.data, formId, textChecks: texts.checks });
    }
    if (!result.ok) {
      const current = await getSession(user.practice.id, session.id);
      return renderSection(res, current, section.key, { values: { ...sessionValues(current), ...typed }, status: 409, errors: { conflict: CONFLICT }, formId, current });
    }
    req.session.flash = result.duplicate
      ? { type: "info", text: `${section.title}: these changes were already saved. Nothing was saved twice.` }
      : result.unchanged
        ? { type: "info", text: `${section.title}: no changes to save` }
        : { type: "success", text: `${section.title}: saved` };
    res.redirect(303, summaryOf(session.id));
  });
}
