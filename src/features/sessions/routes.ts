// /sessions: protected community sessions. Managers plan and edit them;
// facilitators see (and prepare) the ones they are assigned to; viewers read.
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import type { SessionStatus } from "../../generated/prisma/enums.js";
import { ConflictError } from "../../lib/errors.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { hrefWithQuery, pageWindow, paginationParams, parsePage } from "../../lib/pagination.js";
import { ALL_STAFF, isUuid, MANAGERS, MANAGERS_AND_FACILITATORS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { clashFacilitatorIds } from "../../lib/visibility.js";
import { formIdFor, formIdOf } from "../../lib/idempotency.js";
import { outcomeStep } from "./outcome-step.js";
import { sessionFile } from "../calendar/ics.js";
import { calendarHelpers } from "../calendar/present.js";
import { sessionDraftRoutes } from "./draft-routes.js";
import { sessionEditRoutes } from "./edit-routes.js";
import { checkSessionTexts, confirmsFrom, type SessionTextChecks } from "./text-checks.js";
import { DEFAULT_CONFIDENTIALITY, DEFAULT_GROUND_RULES } from "./schemas.js";
import { reportBackView } from "../report-back/view.js";
import { TRANSLATION_LANGUAGES } from "../translations/service.js";
import { asList, createStatusSchema, parseSessionForm, preparationSchema, PRESENCE, PRINCIPLES, SESSION_FIELDS, statusSchema } from "./schemas.js";
import {
  allowedTransitions, assertCanView, isAssigned, NEEDS_REASON, newSessionErrors, STATUS_LABELS, STATUS_TAG, statusChangeErrors, type FullSession,
} from "./service.js";

const STATUSES = Object.keys(STATUS_LABELS) as SessionStatus[];

type Values = Record<string, unknown>;

/** What the user typed, kept as typed. */
function bodyValues(body: Request["body"]): Values {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Values = {};
  for (const k of SESSION_FIELDS) if (typeof b[k] === "string") out[k] = b[k];
  for (const k of ["formId", "version"]) if (typeof b[k] === "string") out[k] = b[k];
  out.facilitatorIds = asList(b.facilitatorIds);
  out.support = asList(b.support);
  const d = b.startDate && typeof b.startDate === "object" ? (b.startDate as Record<string, unknown>) : {};
  out.startDate = { day: typeof d.day === "string" ? d.day : "", month: typeof d.month === "string" ? d.month : "", year: typeof d.year === "string" ? d.year : "" };
  return out;
}

export function sessionsRoutes({ services, config, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const {
    activeGroup, changeStatus, checkReferences, createSession, facilitatorChoices, facilitatorNames, getSession, groupChoices, listSessions, updatePreparation,
  } = services.sessions;
  const { partnerChoices } = services.partners;
  const { findClashes } = services.calendar;
  const { reportBackFor } = services.reportBack;
  const { listDrafts } = services.sessions;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const baseUrl = (_req: Request) => config.publicUrl; // never the Host header
  // Sessions planned step by step (a task list), before "/sessions/:id" (draft-routes.ts).
  sessionDraftRoutes(services, r, sessionSecret);
  // A session that exists, changed one short section at a time (edit-routes.ts).
  sessionEditRoutes(services, r, sessionSecret);

  /** The one-page form of a new session (a session that exists is changed one section at a time: edit-routes.ts). */
  async function renderForm(res: Response, status: number, opts: { values: Values; errors?: FieldErrors; groupHint?: string; textChecks?: SessionTextChecks["checks"] }) {
    const practiceId = currentUser(res).practice.id;
    const [groups, partners, facilitators] = await Promise.all([groupChoices(practiceId), partnerChoices(practiceId), facilitatorChoices(practiceId)]);
    const errors = opts.errors ?? {};
    res.status(status).render("sessions/form", {
      title: "Plan a protected session",
      stepsFormId: crypto.randomUUID(),
      groupItems: [{ value: "", text: "Select a group" }, ...groups.map((g) => ({ value: g.id, text: g.archivedAt ? `${g.name} (archived)` : g.name }))],
      partnerItems: [{ value: "", text: "No partner organisation" }, ...partners.map((p) => ({ value: p.id, text: p.archivedAt ? `${p.name} (archived)` : p.name }))],
      facilitatorItems: facilitators.map((f) => ({ value: f.id, text: f.name, hint: f.role === "MANAGER" ? { text: "Practice manager" } : undefined })),
      groupHint: opts.groupHint,
      textChecks: opts.textChecks ?? {},
      principles: PRINCIPLES,
      presence: PRESENCE,
      values: opts.values,
      errors,
      errorList: errorList(errors, SESSION_FIELDS),
      backLink: { href: "/sessions" },
    });
  }

  async function renderBriefing(res: Response, session: FullSession, status = 200, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const user = currentUser(res);
    const now = new Date();
    const facilitators = await facilitatorNames(user.practice.id, session.facilitators.map((f) => f.userId));
    const errors = extra.errors ?? {};
    const canPrepare = user.role === "MANAGER" || (user.role === "FACILITATOR" && isAssigned(session, user.id));
    // Another session of the same facilitator at the same time: a warning, never a block. Managers are
    // warned of every facilitator's, a facilitator of their own only (lib/visibility.ts).
    const viewer = { practiceId: user.practice.id, userId: user.id, role: user.role };
    const clashIds = clashFacilitatorIds(viewer, session.facilitators.map((f) => f.userId));
    const clashes = clashIds.length ? await findClashes(user.practice.id, { ...session, facilitators: clashIds.map((userId) => ({ userId })) }) : [];
    // The report-back list (issue 18): what to read out to the group at this session.
    const reportBack = session.status === "CANCELLED" ? null
      : reportBackView(await reportBackFor({ id: session.id, practiceId: user.practice.id, groupId: session.groupId, startsAt: session.startsAt }), now);
    res.status(status).render("sessions/show", {
      reportBack,
      // The sheet with the answers in each language the group reads (translations where someone has written one).
      reportBackLanguages: TRANSLATION_LANGUAGES.filter((l) => session.group.readingLanguages.includes(l.code)),
      title: session.title,
      session,
      facilitators,
      principles: PRINCIPLES,
      presenceLabel: PRESENCE.find((p) => p.value === session.practicePresence)?.text ?? session.practicePresence,
      statusLabel: STATUS_LABELS[session.status],
      statusTag: STATUS_TAG[session.status],
      statusLabels: STATUS_LABELS,
      needsReason: NEEDS_REASON,
      transitions: user.role === "MANAGER" ? allowedTransitions(session, now) : [],
      started: session.startsAt.getTime() <= now.getTime(),
      canEdit: user.role === "MANAGER",
      canPrepare,
      outcomeStep: outcomeStep(session, { canLog: canPrepare, now }),
      clashes,
      ownClashes: user.role !== "MANAGER",
      calendar: calendarHelpers,
      values: extra.values ?? {},
      errors,
      errorList: errorList(errors, ["conflict", "status", "reason"]),
      backLink: { href: "/sessions" },
    });
  }

  // ---- the list ----
  r.get("/sessions", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const practiceId = user.practice.id;
    const when = req.query.when === "past" ? "past" : "upcoming";
    const groupId = isUuid(req.query.groupId) ? req.query.groupId : undefined;
    const facilitatorId = isUuid(req.query.facilitatorId) ? req.query.facilitatorId : undefined;
    const status = STATUSES.includes(req.query.status as SessionStatus) ? (req.query.status as SessionStatus) : undefined;
    const page = parsePage(req.query.page);
    const [{ total, sessions }, groups, facilitators, drafts] = await Promise.all([
      listSessions(practiceId, user, { when, groupId, facilitatorId, status, ...pageWindow(page) }),
      groupChoices(practiceId),
      user.role === "FACILITATOR" ? Promise.resolve([]) : facilitatorChoices(practiceId),
      // Sessions being planned step by step: managers only (draft.ts).
      user.role === "MANAGER" && when === "upcoming" && page === 1 ? listDrafts(practiceId) : Promise.resolve({ total: 0, drafts: [] }),
    ]);
    const query = { when: when === "past" ? "past" : "", groupId: groupId ?? "", facilitatorId: facilitatorId ?? "", status: status ?? "" };
    res.render("sessions/index", {
      title: when === "past" ? "Past sessions" : "Upcoming sessions",
      when,
      sessions,
      total,
      filters: query,
      filtered: Boolean(groupId || facilitatorId || status),
      groupItems: [{ value: "", text: "All groups" }, ...groups.map((g) => ({ value: g.id, text: g.name }))],
      facilitatorItems: [{ value: "", text: "All facilitators" }, ...facilitators.map((f) => ({ value: f.id, text: f.name }))],
      statusItems: [{ value: "", text: "All statuses" }, ...STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] }))],
      statusLabels: STATUS_LABELS,
      statusTags: STATUS_TAG,
      upcomingHref: hrefWithQuery("/sessions", query, { when: undefined, page: undefined }),
      pastHref: hrefWithQuery("/sessions", query, { when: "past", page: undefined }),
      canCreate: user.role === "MANAGER",
      drafts,
      pagination: paginationParams({ page, total, hrefFor: (p) => hrefWithQuery("/sessions", query, { page: p === 1 ? undefined : p }) }),
    });
  });

  // ---- new ----
  r.get("/sessions/new", MANAGERS, async (req, res) => {
    const practiceId = currentUser(res).practice.id;
    const values: Values = {
      formId: formIdFor(), status: "DRAFT", online: "no", practicePresence: "NONE", facilitatorIds: [], support: [],
      groundRules: DEFAULT_GROUND_RULES, confidentiality: DEFAULT_CONFIDENTIALITY, startDate: {},
    };
    let groupHint: string | undefined;
    if (isUuid(req.query.groupId)) {
      // Sensible defaults from what suits the group.
      const group = await activeGroup(practiceId, req.query.groupId);
      if (group) {
        Object.assign(values, {
          groupId: group.id, partnerId: group.partnerId ?? "", venueName: group.usualVenue, interpreterLanguages: group.languages.join(", "),
          venueAccessibility: group.accessNeeds ? `The group's access needs: ${group.accessNeeds}` : "",
        });
        groupHint = [group.usualTimes && `${group.name} usually prefers: ${group.usualTimes}.`, group.accessNeeds && `Access needs: ${group.accessNeeds}.`].filter(Boolean).join(" ") || undefined;
      }
    }
    await renderForm(res, 200, { values, groupHint });
  });

  r.post("/sessions", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const practiceId = user.practice.id;
    const parsed = parseSessionForm(req.body);
    const st = validate(createStatusSchema, req.body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (!st.ok) Object.assign(errors, st.errors);
    // The title and venue reach e-mails and calendar feeds: the identifying-details check (text-checks.ts).
    const texts = checkSessionTexts({ secret: sessionSecret, userId: user.id }, bodyValues(req.body), confirmsFrom(req.body));
    Object.assign(errors, texts.errors);
    if (parsed.ok) Object.assign(errors, await checkReferences(practiceId, parsed.data));
    // The rule on the start is checked whenever the start is known, with every other error in one round.
    const startsAt = parsed.ok ? parsed.data.startsAt : parsed.startsAt;
    if (st.ok && startsAt) for (const [k, m] of Object.entries(newSessionErrors(st.data.status, startsAt))) errors[k] ??= m;
    if (!parsed.ok || !st.ok || Object.keys(errors).length) {
      return renderForm(res, 400, { values: { ...bodyValues(req.body), formId: formIdFor(req.body) }, errors, textChecks: texts.checks });
    }
    const { id, duplicate } = await createSession(practiceId, user.id, parsed.data, st.data.status, formIdOf(req.body), { confirmedKinds: texts.confirmedKinds });
    // A duplicate: the same form submitted twice, or the same session submitted again after Back. Nothing saved; the first one is shown.
    req.session.flash = duplicate
      ? { type: "info", text: "This session was already created. Nothing was saved twice." }
      : { type: "success", text: st.data.status === "SCHEDULED" ? `${parsed.data.title} scheduled` : `${parsed.data.title} saved as a draft` };
    res.redirect(303, `/sessions/${id}`);
  });

  // ---- calendar file (declared before /sessions/:id, which would otherwise match "x.ics") ----
  r.get("/sessions/:id.ics", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const session = await getSession(user.practice.id, String(req.params.id));
    assertCanView(session, user);
    const file = sessionFile(session, baseUrl(req), user.practice.name);
    res.setHeader("Content-Type", "text/calendar; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="${file.filename}"`);
    res.send(file.content);
  });

  // ---- the briefing ----
  r.get("/sessions/:id", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const session = await getSession(user.practice.id, String(req.params.id));
    assertCanView(session, user);
    await renderBriefing(res, session);
  });

  // ---- preparation notes: managers, and the facilitators assigned ----
  async function loadForPreparation(req: Request, res: Response) {
    const user = currentUser(res);
    const session = await getSession(user.practice.id, String(req.params.id));
    assertCanView(session, user);
    return session;
  }

  r.get("/sessions/:id/preparation", MANAGERS_AND_FACILITATORS, async (req, res) => {
    const session = await loadForPreparation(req, res);
    res.render("sessions/preparation", {
      title: `Preparation notes for ${session.title}`, session, values: { preparationNotes: session.preparationNotes, version: String(session.version) }, backLink: { href: `/sessions/${session.id}` },
    });
  });

  r.post("/sessions/:id/preparation", MANAGERS_AND_FACILITATORS, async (req, res) => {
    const user = currentUser(res);
    const session = await loadForPreparation(req, res);
    const v = validate(preparationSchema, req.body);
    const values = { preparationNotes: typeof req.body?.preparationNotes === "string" ? req.body.preparationNotes : "", version: typeof req.body?.version === "string" ? req.body.version : "" };
    const render = (status: number, errors: FieldErrors, current?: FullSession) =>
      res.status(status).render("sessions/preparation", {
        title: `Preparation notes for ${session.title}`, session, current, values: current ? { ...values, version: String(current.version) } : values,
        errors, errorList: errorList(errors, ["conflict", "preparationNotes"]), backLink: { href: `/sessions/${session.id}` },
      });
    if (!v.ok) {
      const errors = { ...v.errors };
      if (errors.version) {
        errors.conflict = "The form is out of date: reload the page and make your changes again";
        delete errors.version;
      }
      return render(400, errors);
    }
    const saved = await updatePreparation(user.practice.id, user.id, session, v.data.version, v.data.preparationNotes);
    if (!saved.ok) {
      const current = await getSession(user.practice.id, session.id);
      return render(409, { conflict: "Someone else changed this session after you opened it, so your notes were not saved. The saved notes are shown below; save again to replace them with yours." }, current);
    }
    req.session.flash = { type: "success", text: "Preparation notes saved" };
    res.redirect(303, `/sessions/${session.id}`);
  });

  // ---- status ----
  r.post("/sessions/:id/status", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const session = await getSession(user.practice.id, String(req.params.id));
    const v = validate(statusSchema, req.body);
    const values = { status: req.body?.status, reason: req.body?.reason };
    const errors: FieldErrors = v.ok ? {} : { ...v.errors };
    if (errors.version) {
      errors.conflict = "The page was out of date: check the session's status and try again";
      delete errors.version;
    }
    if (v.ok && v.data.version !== session.version) {
      errors.conflict = "Someone else changed this session after you opened it. Check its current status below, then try again.";
      return renderBriefing(res, session, 409, { errors, values });
    }
    if (v.ok) Object.assign(errors, statusChangeErrors(session, v.data.status, v.data.reason));
    if (!v.ok || Object.keys(errors).length) return renderBriefing(res, session, 400, { errors, values });
    const saved = await changeStatus(user.practice.id, user.id, session, v.data.version, v.data.status, v.data.reason);
    if (!saved.ok) throw new ConflictError();
    req.session.flash = { type: "success", text: `Session marked as ${STATUS_LABELS[v.data.status].toLowerCase()}` };
    res.redirect(303, `/sessions/${session.id}`);
  });

  return router;
}
