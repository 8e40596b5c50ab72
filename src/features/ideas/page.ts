// Rendering /ideas/:id, shared by the ideas routes and the response form
// (which re-renders the page with its errors).
import { formIdFor } from "../../lib/idempotency.js";
import type { Request, Response } from "express";
import type { FieldErrors } from "../../lib/forms.js";
import type { FieldCheck } from "../../lib/text-check.js";
import type { ReadingAgeCheck } from "../../lib/reading-age-check.js";
import { errorList } from "../../lib/forms.js";
import { readingAgeMessage, type Readability } from "../../lib/readability.js";
import { currentUser } from "../../middleware/auth.js";
import { RESPONSE_FIELD_ORDER, MIN_NOT_POSSIBLE_LENGTH } from "../responses/schemas.js";
import { ideaLabels, REOPENED_RESPONSE_LABELS } from "../../lib/vocabulary.js";
import { isOverdue, parseIdeaFilters, type IdeaDetail, type IdeaFilters } from "./service.js";
import { hrefWithQuery, parsePage } from "../../lib/pagination.js";
import { translator } from "../../i18n.js";
import { latestPublicResponse } from "../../lib/visibility.js";
import { presenter } from "../public/present.js";
import type { BoardIdea } from "../public/service.js";
import { verdictViewHelpers } from "../report-back/timeline.js";
import { reopenedContext } from "../responses/service.js";

export interface ResponseFormState {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  readability?: Readability;
  /** The identifying-details check on a public response's text (lib/text-check.ts). */
  textCheck?: FieldCheck;
  /** The reading-age check on a public response's text (lib/reading-age-check.ts). */
  readingCheck?: ReadingAgeCheck;
  status?: number;
}

/** The list's query as its links keep it: only the filters that were understood, the sort when not the default. */
export function ideaListQuery(filters: IdeaFilters): Record<string, string> {
  const kept: Record<string, string> = {};
  if (filters.status) kept.status = filters.status;
  if (filters.theme) kept.theme = filters.theme;
  if (filters.group) kept.group = filters.group;
  if (filters.session) kept.session = filters.session;
  if (filters.consent) kept.consent = filters.consent;
  if (filters.overdue) kept.overdue = "yes";
  if (filters.reopened) kept.reopened = "yes";
  if (filters.sort !== "newest") kept.sort = filters.sort;
  return kept;
}

/**
 * Where an idea page's Back link goes: the list it was opened from, carried in
 * `?back=` by the list's links, so Back returns to the same filters and page.
 * Never an open redirect: the value is only read as a query of /ideas (it must
 * start "/ideas?" or be "/ideas"), and the link is rebuilt from the filters
 * the list itself understands (parseIdeaFilters) and the page number;
 * anything else ("//evil.example", "https://…", "/ideas/../x", unknown
 * parameters) gives the plain list.
 */
export function backToIdeaList(raw: unknown): string {
  if (typeof raw !== "string" || raw.length > 1000 || !/^\/ideas(\?|$)/.test(raw)) return "/ideas";
  const params = new URLSearchParams(raw.slice("/ideas".length));
  const query: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in query)) query[k] = v;
  const page = parsePage(query.page);
  return hrefWithQuery("/ideas", ideaListQuery(parseIdeaFilters(query)), { page: page === 1 ? undefined : page });
}

/** The suffix of an idea's link from the list: "?back=<the list's own address>", or nothing from the plain list. */
export function backParam(listHref: string): string {
  return listHref === "/ideas" ? "" : `?back=${encodeURIComponent(listHref)}`;
}

export function truncate(text: string, max = 120): string {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

export function renderIdeaPage(res: Response, idea: IdeaDetail, form: ResponseFormState = {}, back = "/ideas") {
  const user = currentUser(res);
  const errors = form.errors ?? {};
  const values = form.values ?? {};
  const formId = formIdFor(values);
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
    textCheck: form.textCheck,
    readingCheck: form.readingCheck,
    readingAgeMessage,
    minNotPossible: MIN_NOT_POSSIBLE_LENGTH,
    // A reopened idea: the response form shows what the group said and the previous public answer (issue 18).
    reopened: reopenedContext(idea),
    reopenedLabels: REOPENED_RESPONSE_LABELS,
    backLink: { href: back },
    ...verdictViewHelpers,
  });
}

/**
 * An idea as the practice's public board shows it (the board's own card,
 * views/public/_idea-card.ejs), in English: its latest public response, the
 * public status, role instead of name. Used by the publish preview and by the
 * facilitator's view of an idea from a session they do not run.
 */
export function boardCardFor(idea: IdeaDetail, practiceSlug: string) {
  const t = translator("en");
  const latest = latestPublicResponse(idea.responses);
  const card: BoardIdea = {
    id: idea.id, text: idea.text, consent: idea.consent === "GROUP_ONLY" ? "GROUP_ONLY" : "PUBLIC", published: true, createdAt: idea.createdAt,
    themeId: idea.themeId, themeName: idea.theme.name, groupId: idea.groupId, groupName: idea.group.name,
    response: latest ? { status: latest.status, text: latest.text, createdAt: latest.createdAt, targetDate: latest.targetDate, authorRole: latest.authorRole } : null,
  };
  return { idea: card, href: `/p/${practiceSlug}/ideas/${idea.id}`, p: presenter(t, "en"), t, showGroup: true };
}

/** /ideas/:id for a facilitator who does not run the idea's session: exactly what the public sees. */
export function renderPublicOnlyIdea(res: Response, idea: IdeaDetail, back = "/ideas") {
  const user = currentUser(res);
  res.render("ideas/show-public", {
    title: `Idea: ${truncate(idea.text, 60)}`,
    idea,
    card: boardCardFor(idea, user.practice.slug),
    // Oldest first, as the public idea page tells it (IdeaDetail.responses are newest first).
    timeline: idea.responses.filter((r) => r.isPublic).slice().reverse(),
    labels: ideaLabels,
    backLink: { href: back },
  });
}
