// /partners: the partner organisations a practice works through (managers only).
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { formIdFor, formIdOf } from "../../lib/idempotency.js";
import { PARTNER_FIELDS, partnerSchema } from "./schemas.js";
import { archiveSchema } from "../archivable/service.js";
import { renderArchivableList } from "../archivable/routes.js";
import type { getPartner } from "./service.js";

function formValues(body: Request["body"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...PARTNER_FIELDS, "formId"]) out[k] = typeof body?.[k] === "string" ? body[k] : "";
  return out;
}

/** The add form (no partner) or a partner's edit form, with the errors of a refused submit. */
function renderForm(res: Response, status: number, opts: { partner?: Awaited<ReturnType<typeof getPartner>>; values: Record<string, unknown>; errors?: FieldErrors; fieldOrder?: string[] }) {
  res.status(status).render("partners/form", {
    title: opts.partner ? `Edit ${opts.partner.name}` : "Add a partner organisation",
    mode: opts.partner ? "edit" : "new",
    ...(opts.partner ? { partner: opts.partner } : {}),
    ...(opts.errors ? { errors: opts.errors, errorList: errorList(opts.errors, opts.fieldOrder) } : {}),
    values: opts.values,
    backLink: { href: "/partners" },
  });
}

export function partnersRoutes({ services }: AppContext, registry: RouteSpec[]): Router {
  const { createPartner, getPartner, listPartners, setPartnerArchived, updatePartner } = services.partners;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.get("/partners", MANAGERS, (req, res) => renderArchivableList(req, res, {
    path: "/partners", view: "partners/index", titles: { current: "Partner organisations", archived: "Archived partner organisations" },
    list: (practiceId, opts) => listPartners(practiceId, opts),
  }));

  r.get("/partners/new", MANAGERS, (_req, res) => {
    renderForm(res, 200, { values: { formId: formIdFor() } });
  });

  r.post("/partners", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const v = validate(partnerSchema, req.body);
    if (!v.ok) return renderForm(res, 400, { values: { ...formValues(req.body), formId: formIdFor(req.body) }, errors: v.errors, fieldOrder: PARTNER_FIELDS });
    await createPartner(user.practice.id, user.id, v.data, formIdOf(req.body));
    req.session.flash = { type: "success", text: `${v.data.name} added` };
    res.redirect(303, "/partners");
  });

  r.get("/partners/:id/edit", MANAGERS, async (req, res) => {
    const partner = await getPartner(currentUser(res).practice.id, String(req.params.id));
    renderForm(res, 200, { partner, values: partner });
  });

  r.post("/partners/:id/edit", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const partner = await getPartner(user.practice.id, String(req.params.id));
    const v = validate(partnerSchema, req.body);
    if (!v.ok) return renderForm(res, 400, { partner, values: formValues(req.body), errors: v.errors, fieldOrder: PARTNER_FIELDS });
    await updatePartner(user.practice.id, user.id, partner.id, v.data);
    req.session.flash = { type: "success", text: `${v.data.name} updated` };
    res.redirect(303, "/partners");
  });

  r.post("/partners/:id/archive", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const partner = await getPartner(user.practice.id, String(req.params.id));
    const v = validate(archiveSchema, req.body);
    if (!v.ok) return renderForm(res, 400, { partner, values: partner, errors: v.errors });
    const archive = v.data.action === "archive";
    await setPartnerArchived(user.practice.id, user.id, partner.id, archive);
    req.session.flash = { type: "success", text: archive ? `${partner.name} archived. Its groups and sessions keep it.` : `${partner.name} restored` };
    res.redirect(303, archive ? "/partners?archived=1" : "/partners");
  });

  return router;
}
