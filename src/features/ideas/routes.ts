// Staff pages for ideas: the list, one idea with its timeline, publishing
// (with a preview of exactly what the public will see) and managers' corrections.
// Facilitators and read-only staff may read every idea of their practice (the
// URL contract gives /ideas to all staff); only managers change anything.
import { Router } from "express";
import type { AppContext } from "../../services.js";
import { BadRequestError } from "../../lib/errors.js";
import { errorList, validate } from "../../lib/forms.js";
import { hrefWithQuery, paginationParams, parsePage } from "../../lib/pagination.js";
import { ALL_STAFF, MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { CONSENT_RANK, CONSENTS, ideaLabels } from "../../lib/vocabulary.js";
import { backParam, backToIdeaList, boardCardFor, ideaListQuery, renderIdeaPage, renderPublicOnlyIdea, truncate } from "./page.js";
import { staffViewKey, type StaffViewer } from "../../lib/visibility.js";
import { redirectAfterSave } from "../../lib/session.js";
import { renderFragment, renderWithBody } from "../../middleware/views.js";
import { describeKinds, highlightSegments, KIND_LABELS } from "../../lib/identifying-details.js";
import { checkField, checkMessage, type FieldCheck } from "../../lib/text-check.js";
import { confirmSchema, correctionSchema, deadlineSchema, EDIT_FIELD_ORDER } from "./schemas.js";
import {
  SORT_LABELS, SORTS, isOverdue, parseIdeaFilters, versionOf, type filterOptions,
  type IdeaDetail,
} from "./service.js";
import type { Response } from "express";

function renderPreview(res: Response, idea: IdeaDetail, opts: { status?: number; errors?: Record<string, string> } = {}) {
  const errors = opts.errors ?? {};
  res.status(opts.status ?? 200).render("ideas/publish", {
    title: "Check what the public will see",
    idea,
    card: boardCardFor(idea, currentUser(res).practice.slug),
    // Oldest first, as the public idea page will tell it (IdeaDetail.responses are newest first).
    timeline: idea.responses.filter((r) => r.isPublic).slice().reverse(),
    version: versionOf(idea),
    labels: ideaLabels,
    errors,
    errorList: errorList(errors, ["confirm"]),
    backLink: { href: `/ideas/${idea.id}` },
  });
}

async function renderEdit(
  res: Response,
  deps: AppContext,
  idea: IdeaDetail,
  opts: { status?: number; errors?: Record<string, string>; values?: Record<string, unknown>; textCheck?: FieldCheck } = {},
) {
  const practiceId = currentUser(res).practice.id;
  const themes = await deps.services.ideas.themeChoices(practiceId, idea.themeId);
  const errors = opts.errors ?? {};
  res.status(opts.status ?? 200).render("ideas/edit", {
    title: "Correct this idea",
    idea,
    themes,
    // Only the current consent and narrower ones are offered.
    consentChoices: CONSENTS.filter((c) => CONSENT_RANK[c] >= CONSENT_RANK[idea.consent]),
    labels: ideaLabels,
    errors,
    errorList: errorList(errors, EDIT_FIELD_ORDER),
    values: opts.values ?? { text: idea.text, themeId: idea.themeId, consent: idea.consent, version: versionOf(idea) },
    textCheck: opts.textCheck,
    kindLabels: KIND_LABELS,
    highlightSegments,
    describeKinds,
    backLink: { href: `/ideas/${idea.id}` },
  });
}

/** The filters and sort in force, in words, for the line under the closed filter panel ("" when none). */
function appliedFilters(filters: ReturnType<typeof parseIdeaFilters>, options: Awaited<ReturnType<typeof filterOptions>>): string {
  const out: string[] = [];
  if (filters.status) out.push(`status ${ideaLabels.STATUS_LABELS[filters.status]}`);
  if (filters.theme) out.push(`theme ${options.themes.find((t) => t.id === filters.theme)?.name ?? "(not found)"}`);
  if (filters.group) out.push(`group ${options.groups.find((g) => g.id === filters.group)?.name ?? "(not found)"}`);
  if (filters.session) out.push(`session ${options.sessions.find((s) => s.id === filters.session)?.title ?? "(not found)"}`);
  if (filters.consent) out.push(`consent ${ideaLabels.CONSENT_LABELS[filters.consent]}`);
  if (filters.overdue) out.push("no response after the deadline (overdue)");
  if (filters.reopened) out.push("an answer the group says does not address it yet");
  const sentences = out.length ? [`Showing ideas with ${out.join("; ")}.`] : [];
  if (filters.sort !== "newest") sentences.push(`Sorted ${SORT_LABELS[filters.sort].toLowerCase()}.`);
  return sentences.join(" ");
}

export function ideasRoutes(deps: AppContext, registry: RouteSpec[]): Router {
  const { correctIdea, getIdeaDetail, getResponseDeadline, setResponseDeadline, listIdeasWithOptions, publishIdea, getIdeaForViewer, unpublishIdea } = deps.services.ideas;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  // The list is kept rendered per practice data version, role, filters and page
  // (lib/practice-cache.ts): exact after any save, and until the next idea
  // becomes overdue.
  r.get("/ideas", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const practiceId = user.practice.id;
    const query = req.query as Record<string, unknown>;
    const filters = parseIdeaFilters(query);
    const requestedPage = parsePage(query.page);
    // Links keep only the filters that were understood.
    const kept = ideaListQuery(filters);
    // The key holds what scopes the view (lib/visibility.ts): a facilitator never gets a manager's list, nor another facilitator's.
    const viewer: StaffViewer = { practiceId, userId: user.id, role: user.role };
    const key = `ideas|${staffViewKey(viewer)}|${new URLSearchParams(kept).toString()}|${requestedPage}`;
    const body = await deps.staffCache.get(user.practice, key, async () => {
      const now = new Date();
      const { ideas, total, page, options } = await listIdeasWithOptions(viewer, filters, requestedPage, now);
      const html = await renderFragment(res, "ideas/index", {
        deadlineDays: options.deadlineDays,
        ideas: ideas.map((i) => ({ ...i, overdue: !i.publicOnly && isOverdue(i, now), short: truncate(i.text) })),
        total,
        filters,
        options,
        filtered: Object.keys(kept).some((k) => k !== "sort"),
        sortItems: SORTS.map((s) => ({ value: s, text: SORT_LABELS[s] })),
        appliedFilters: appliedFilters(filters, options),
        labels: ideaLabels,
        pagination: paginationParams({ page, total, hrefFor: (p) => hrefWithQuery("/ideas", kept, { page: p === 1 ? undefined : p }) }),
        // Each idea's link carries this list's address, for its Back link.
        back: backParam(hrefWithQuery("/ideas", kept, { page: page === 1 ? undefined : page })),
      });
      return { html, validUntil: options.nextDueAt };
    });
    await renderWithBody(res, body, { title: "Ideas" });
  });

  // The practice's response deadline (declared before /ideas/:id, which it would otherwise match).
  r.get("/ideas/deadline", MANAGERS, async (_req, res) => {
    const days = await getResponseDeadline(currentUser(res).practice.id);
    res.render("ideas/deadline", { title: "Response deadline", values: { responseDeadlineDays: String(days) }, current: days, backLink: { href: "/ideas" } });
  });

  r.post("/ideas/deadline", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const v = validate(deadlineSchema, req.body ?? {});
    if (!v.ok) {
      const current = await getResponseDeadline(user.practice.id);
      return res.status(400).render("ideas/deadline", {
        title: "Response deadline", errors: v.errors, errorList: errorList(v.errors, ["responseDeadlineDays"]),
        values: { responseDeadlineDays: req.body?.responseDeadlineDays }, current, backLink: { href: "/ideas" },
      });
    }
    const changed = await setResponseDeadline(user.practice.id, user.id, v.data.responseDeadlineDays);
    req.session.flash = { type: "success", text: changed ? `The response deadline is now ${v.data.responseDeadlineDays} days after the session` : "The response deadline was not changed" };
    await redirectAfterSave(req, res, "/ideas");
  });

  r.get("/ideas/:id", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const { access, idea } = await getIdeaForViewer({ practiceId: user.practice.id, userId: user.id, role: user.role }, String(req.params.id));
    const back = backToIdeaList(req.query.back);
    if (access === "public") return renderPublicOnlyIdea(res, idea, back);
    renderIdeaPage(res, idea, {}, back);
  });

  r.get("/ideas/:id/publish", MANAGERS, async (req, res) => {
    const idea = await getIdeaDetail(currentUser(res).practice.id, String(req.params.id));
    renderPreview(res, idea);
  });

  r.post("/ideas/:id/publish", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const idea = await getIdeaDetail(user.practice.id, String(req.params.id));
    const v = validate(confirmSchema, req.body);
    if (!v.ok) return renderPreview(res, idea, { status: 400, errors: { confirm: "Check the preview, then select ‘Publish this idea’" } });
    if (idea.consent !== "PUBLIC") return renderPreview(res, idea, { status: 400 });
    const result = await publishIdea(user.practice.id, idea.id, user.id, v.data.version);
    if (!result.ok && result.reason === "conflict") {
      const fresh = await getIdeaDetail(user.practice.id, idea.id);
      return renderPreview(res, fresh, { status: 409, errors: { confirm: "This idea changed after you opened the preview. Check the preview again before you publish" } });
    }
    if (!result.ok) return renderPreview(res, idea, { status: 400 });
    req.session.flash = {
      type: "success",
      // At once, not "up to 30 seconds": publishing bumps the practice's data
      // version, public pages are cached only for the version they were
      // rendered from and sent with Cache-Control: no-cache, so the next
      // request anywhere shows it (features/public/page-cache.ts).
      text: !result.alreadyPublished ? "The idea is now on the public board." : "This idea was already on the public board",
      link: { href: `/p/${user.practice.slug}/ideas/${idea.id}`, text: "See it on the public board" },
    };
    await redirectAfterSave(req, res, `/ideas/${idea.id}`);
  });

  r.post("/ideas/:id/unpublish", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const idea = await getIdeaDetail(user.practice.id, String(req.params.id));
    if (req.body?.confirm !== "yes") throw new BadRequestError("Use the ‘Remove from the public board’ button");
    const changed = await unpublishIdea(user.practice.id, idea.id, user.id);
    req.session.flash = { type: "success", text: changed ? "The idea has been removed from the public board" : "This idea was not on the public board" };
    await redirectAfterSave(req, res, `/ideas/${idea.id}`);
  });

  r.get("/ideas/:id/edit", MANAGERS, async (req, res) => {
    const idea = await getIdeaDetail(currentUser(res).practice.id, String(req.params.id));
    await renderEdit(res, deps, idea);
  });

  r.post("/ideas/:id/edit", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const idea = await getIdeaDetail(user.practice.id, String(req.params.id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { text: body.text, themeId: body.themeId, consent: body.consent, version: body.version };
    const v = validate(correctionSchema, body);
    if (!v.ok) {
      // The version is a hidden field: its message goes on the first field, so the summary link lands somewhere.
      const { version: versionError, ...errors } = v.errors;
      if (versionError) errors.text ??= versionError;
      return renderEdit(res, deps, idea, { status: 400, errors, values });
    }
    // A corrected text passes the same identifying-details check as at the session.
    const textCheck = v.data.text !== idea.text ? checkField({ secret: deps.sessionSecret, userId: user.id }, "text", v.data.text, body.textConfirmSafe) : undefined;
    if (textCheck && !textCheck.confirmed) {
      const errors = { text: checkMessage("The idea", textCheck) };
      return renderEdit(res, deps, idea, { status: 400, errors, values, textCheck });
    }
    // The correction and the audit of a confirmed identifying detail are one transaction.
    const result = await correctIdea(user.practice.id, idea.id, user.id, v.data, { confirmedKinds: textCheck?.kinds });
    if (!result.ok) {
      if (result.reason === "conflict") {
        // Keep what they typed, but on the current version, so they can check it and save again deliberately.
        const fresh = await getIdeaDetail(user.practice.id, idea.id);
        const errors = { text: "Someone else changed this idea after you opened this page. Your changes have not been saved. Check the idea as it is now, then save again" };
        return renderEdit(res, deps, fresh, { status: 409, errors, values: { ...values, version: versionOf(fresh) } });
      }
      const errors: Record<string, string> =
        result.reason === "widened"
          ? { consent: "Consent can only be narrowed by staff. Only the group can agree to share an idea more widely" }
          : { themeId: "Select a theme from the list" };
      return renderEdit(res, deps, idea, { status: 400, errors, values });
    }
    req.session.flash = {
      type: "success",
      text: result.changed.length === 0 ? "Nothing was changed" : `Idea corrected${result.unpublished ? " and removed from the public board" : ""}`,
    };
    await redirectAfterSave(req, res, `/ideas/${idea.id}`);
  });

  return router;
}
