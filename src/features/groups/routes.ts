// /groups: the community groups a practice works with (managers only).
import { Router, type Request } from "express";
import type { AppContext } from "../../services.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { formIdFor, formIdOf } from "../../lib/idempotency.js";
import { archiveSchema } from "../archivable/service.js";
import { renderArchivableList } from "../archivable/routes.js";
import { ideaLabels } from "../../lib/vocabulary.js";
import { truncate } from "../ideas/page.js";
import { STATUS_LABELS as SESSION_STATUS_LABELS, STATUS_TAG as SESSION_STATUS_TAG } from "../sessions/service.js";
import { GROUP_FIELDS, groupSchema, rotateSchema } from "./schemas.js";
import { checkField, checkMessage, type FieldCheck } from "../../lib/text-check.js";
import { londonDate } from "../calendar/month.js";

function formValues(body: Request["body"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...GROUP_FIELDS, "formId"]) out[k] = typeof body?.[k] === "string" ? body[k] : "";
  return out;
}

/** The name and partner as typed (trimmed, as the schema reads them), when the schema found nothing wrong with them. */
function typedFields(body: unknown, errors: FieldErrors): { name?: string; partnerOk: boolean; partnerId?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  const trimmed = (k: string) => (typeof b[k] === "string" ? (b[k] as string).trim() : "");
  return {
    name: errors.name || !trimmed("name") ? undefined : trimmed("name"),
    partnerOk: !errors.partnerId,
    partnerId: trimmed("partnerId") || undefined,
  };
}

export function groupsRoutes({ services, config, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const { checkPartner, createGroup, getGroup, groupOverview, listGroups, rotateGroupLink, setGroupArchived, updateGroup } = services.groups;
  const { partnerChoices } = services.partners;
  const { groupGaps } = services.calendar;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const baseUrl = (_req: Request) => config.publicUrl; // never the Host header

  // Group names are on the public board and the group's own board: the identifying-details check (lib/text-check.ts).
  const nameCheck = (req: Request, userId: string, name: string) => checkField({ secret: sessionSecret, userId }, "name", name, req.body?.nameConfirmSafe);
  async function renderForm(req: Request, res: Parameters<Parameters<typeof r.get>[2]>[1], status: number, opts: { mode: "new" | "edit"; group?: Awaited<ReturnType<typeof getGroup>>; values: Record<string, unknown>; errors?: FieldErrors; nameCheck?: FieldCheck }) {
    const practiceId = currentUser(res).practice.id;
    const partners = await partnerChoices(practiceId, opts.group?.partnerId);
    const errors = opts.errors ?? {};
    res.status(status).render("groups/form", {
      title: opts.mode === "new" ? "Add a community group" : `Edit ${opts.group!.name}`,
      mode: opts.mode,
      group: opts.group,
      privateLink: opts.group ? `${baseUrl(req)}/g/${opts.group.linkToken}` : undefined,
      partnerItems: [{ value: "", text: "No partner organisation" }, ...partners.map((p) => ({ value: p.id, text: p.archivedAt ? `${p.name} (archived)` : p.name }))],
      values: opts.values,
      errors,
      errorList: errorList(errors, GROUP_FIELDS),
      nameCheck: opts.nameCheck,
      backLink: { href: opts.group ? `/groups/${opts.group.id}` : "/groups" },
    });
  }

  r.get("/groups", MANAGERS, (req, res) => renderArchivableList(req, res, {
    path: "/groups", view: "groups/index", titles: { current: "Community groups", archived: "Archived community groups" },
    list: async (practiceId, opts) => {
      const found = await listGroups(practiceId, opts);
      // Gaps per group (features/calendar): last held and next planned session of the current groups on this page.
      const gaps = opts.archived ? undefined : await groupGaps(practiceId, { groupIds: found.groups.map((g) => g.id) });
      return { ...found, gapMonths: gaps?.months, gapsById: new Map(gaps?.gaps.map((g) => [g.groupId, g])), londonDate };
    },
  }));

  r.get("/groups/new", MANAGERS, async (req, res) => {
    await renderForm(req, res, 200, { mode: "new", values: { formId: formIdFor() } });
  });

  r.post("/groups", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const v = validate(groupSchema, req.body);
    const errors: FieldErrors = v.ok ? {} : { ...v.errors };
    // Every problem in one round: the partner and the name's identifying-details check are checked whenever
    // those fields are valid themselves, whatever else fails (as the outcome form does).
    const typed = typedFields(req.body, errors);
    const check = typed.name !== undefined ? nameCheck(req, user.id, typed.name) : undefined;
    if (typed.partnerOk) {
      const partner = await checkPartner(user.practice.id, typed.partnerId);
      if (!partner.ok) Object.assign(errors, partner.errors);
    }
    if (check && !check.confirmed) errors.name = checkMessage("The group's name", check);
    if (!v.ok || Object.keys(errors).length) {
      return renderForm(req, res, 400, { mode: "new", values: { ...formValues(req.body), formId: formIdFor(req.body) }, errors, nameCheck: check });
    }
    const { id } = await createGroup(user.practice.id, user.id, v.data, formIdOf(req.body), { confirmedKinds: check?.kinds });
    req.session.flash = { type: "success", text: `${v.data.name} added. Share its private link with the group, then plan a session.` };
    res.redirect(303, `/groups/${id}`);
  });

  // The group's own page: its private link, sessions and ideas, and "Plan a session".
  r.get("/groups/:id", MANAGERS, async (req, res) => {
    const practiceId = currentUser(res).practice.id;
    const group = await getGroup(practiceId, String(req.params.id));
    const overview = await groupOverview(practiceId, group.id);
    res.render("groups/show", {
      title: group.name,
      group,
      ...overview,
      ideas: overview.ideas.map((i) => ({ ...i, short: truncate(i.text) })),
      privateLink: `${baseUrl(req)}/g/${group.linkToken}`,
      labels: ideaLabels,
      sessionStatusLabels: SESSION_STATUS_LABELS,
      sessionStatusTags: SESSION_STATUS_TAG,
      backLink: { href: "/groups" },
    });
  });

  r.get("/groups/:id/edit", MANAGERS, async (req, res) => {
    const group = await getGroup(currentUser(res).practice.id, String(req.params.id));
    await renderForm(req, res, 200, { mode: "edit", group, values: { ...group, partnerId: group.partnerId ?? "", languages: group.languages.join(", ") } });
  });

  r.post("/groups/:id/edit", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const group = await getGroup(user.practice.id, String(req.params.id));
    const v = validate(groupSchema, req.body);
    const errors: FieldErrors = v.ok ? {} : { ...v.errors };
    const typed = typedFields(req.body, errors);
    const check = typed.name !== undefined && typed.name !== group.name ? nameCheck(req, user.id, typed.name) : undefined;
    if (typed.partnerOk) {
      const partner = await checkPartner(user.practice.id, typed.partnerId, group.partnerId);
      if (!partner.ok) Object.assign(errors, partner.errors);
    }
    if (check && !check.confirmed) errors.name = checkMessage("The group's name", check);
    if (!v.ok || Object.keys(errors).length) return renderForm(req, res, 400, { mode: "edit", group, values: formValues(req.body), errors, nameCheck: check });
    await updateGroup(user.practice.id, user.id, group.id, v.data, { confirmedKinds: check?.kinds });
    req.session.flash = { type: "success", text: `${v.data.name} updated` };
    res.redirect(303, `/groups/${group.id}`);
  });

  r.post("/groups/:id/archive", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const group = await getGroup(user.practice.id, String(req.params.id));
    const v = validate(archiveSchema, req.body);
    if (!v.ok) return renderForm(req, res, 400, { mode: "edit", group, values: { ...group, partnerId: group.partnerId ?? "", languages: group.languages.join(", ") }, errors: v.errors });
    const archive = v.data.action === "archive";
    await setGroupArchived(user.practice.id, user.id, group.id, archive);
    req.session.flash = { type: "success", text: archive ? `${group.name} archived. Its sessions and ideas are kept.` : `${group.name} restored` };
    res.redirect(303, archive ? "/groups?archived=1" : "/groups");
  });

  r.post("/groups/:id/link", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const group = await getGroup(user.practice.id, String(req.params.id));
    const v = validate(rotateSchema, req.body);
    if (!v.ok) return renderForm(req, res, 400, { mode: "edit", group, values: { ...group, partnerId: group.partnerId ?? "", languages: group.languages.join(", ") }, errors: v.errors });
    await rotateGroupLink(user.practice.id, user.id, group.id);
    req.session.flash = { type: "success", text: "The group has a new private link. The old link no longer works: share the new one with the group." };
    res.redirect(303, `/groups/${group.id}/edit#private-link`);
  });

  return router;
}
