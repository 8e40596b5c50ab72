// /account/email (each person: reminders and the weekly summary on or off) and
// /outbox (managers, not in production: what was, or would have been, sent).
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { MailKind } from "../../generated/prisma/enums.js";
import type { AppContext } from "../../services.js";
import { NotFoundError } from "../../lib/errors.js";
import { errorList, validate } from "../../lib/forms.js";
import { paginationParams, parsePage } from "../../lib/pagination.js";
import { isUuid, MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { redirectAfterSave } from "../../lib/session.js";
import { currentUser } from "../../middleware/auth.js";
import { KIND_LABELS, MAIL_STATUS_LABELS, OUTBOX_PAGE_SIZE } from "./service.js";
import { outboxDirFor, readOutboxFile } from "./transport.js";

const CHOICES = ["reminders", "digest"] as const;
const preferencesSchema = z.object({
  emails: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(CHOICES, { errorMap: () => ({ message: "Select only the e-mails listed" }) }))),
});

export function mailRoutes({ services, config }: AppContext, registry: RouteSpec[]): Router {
  const { emailPreferences, failedPage, retryFailed, outboxMessage, outboxPage, setEmailPreferences } = services.mail;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const backLink = { href: "/dashboard" };

  r.get("/account/email", "signedIn", async (_req, res) => {
    const user = currentUser(res);
    const prefs = await emailPreferences(user.id);
    res.render("mail/preferences", { title: "E-mails you get", values: { emails: [prefs.emailReminders && "reminders", prefs.emailDigest && "digest"].filter(Boolean) }, role: user.role, backLink });
  });

  r.post("/account/email", "signedIn", async (req, res) => {
    const user = currentUser(res);
    const v = validate(preferencesSchema, req.body);
    if (!v.ok) {
      const raw = (req.body as { emails?: unknown }).emails;
      const kept = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((e): e is string => typeof e === "string");
      const errors = { emails: Object.values(v.errors)[0] ?? "Select only the e-mails listed" };
      return res.status(400).render("mail/preferences", { title: "E-mails you get", values: { emails: kept }, errors, errorList: errorList(errors, ["emails"]), role: user.role, backLink });
    }
    const chosen = new Set(v.data.emails);
    await setEmailPreferences(user.practice.id, user.id, { emailReminders: chosen.has("reminders"), emailDigest: chosen.has("digest") });
    req.session.flash = { type: "success", text: "Your e-mail choices have been saved" };
    await redirectAfterSave(req, res, "/account/email");
  });

  /**
   * A list of the practice's e-mails (/emails/failed, /outbox): the page asked
   * for, each e-mail with the words for its kind (and whatever `label` adds),
   * and the page links.
   */
  function mailList<M extends { kind: MailKind }>(
    path: string,
    view: string,
    load: (practiceId: string, page: number) => Promise<{ total: number; messages: M[] }>,
    locals: Record<string, unknown>,
    label: (m: M) => Record<string, string> = () => ({}),
  ): RequestHandler {
    return async (req, res) => {
      const page = parsePage(req.query.page);
      const { total, messages } = await load(currentUser(res).practice.id, page);
      res.render(view, {
        ...locals,
        messages: messages.map((m) => ({ ...m, kindLabel: KIND_LABELS[m.kind], ...label(m) })),
        total,
        pagination: paginationParams({ page, pageSize: OUTBOX_PAGE_SIZE, total, hrefFor: (p) => (p === 1 ? path : `${path}?page=${p}`) }),
      });
    };
  }

  // E-mails that could not be sent after every retry: in every environment.
  r.get("/emails/failed", MANAGERS, mailList("/emails/failed", "mail/failed", failedPage, {
    title: "E-mails that could not be sent",
    backLink: { href: "/users" },
  }));

  r.post("/emails/:id/retry", MANAGERS, async (req, res) => {
    const id = String(req.params.id);
    const user = currentUser(res);
    if (!isUuid(id) || !(await retryFailed(user.practice.id, user.id, id))) throw new NotFoundError();
    req.session.flash = { type: "success", text: "The e-mail will be tried again in a moment" };
    await redirectAfterSave(req, res, "/emails/failed");
  });

  // The outbox is for trying the product and for development: never in production.
  if (config.env !== "production") {
    const outboxDir = outboxDirFor(config.dataDir);
    r.get("/outbox", MANAGERS, mailList("/outbox", "mail/outbox", outboxPage,
      { title: "Outbox", smtp: Boolean(config.mail.smtpUrl), outboxDir, backLink: { href: "/dashboard" } },
      (m) => ({ statusLabel: MAIL_STATUS_LABELS[m.status] })));

    r.get("/outbox/:id", MANAGERS, async (req, res) => {
      const id = String(req.params.id);
      if (!isUuid(id)) throw new NotFoundError();
      const m = await outboxMessage(currentUser(res).practice.id, id);
      if (!m) throw new NotFoundError();
      const eml = config.mail.smtpUrl ? undefined : await readOutboxFile(outboxDir, m.id);
      res.render("mail/message", {
        title: m.subject ?? KIND_LABELS[m.kind],
        m: { ...m, kindLabel: KIND_LABELS[m.kind], statusLabel: MAIL_STATUS_LABELS[m.status] },
        eml,
        backLink: { href: "/outbox" },
      });
    });
  }

  return router;
}
