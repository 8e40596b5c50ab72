// /themes (managers): the practice's theme list. Add, rename, reorder (move up
// or down, no JavaScript needed), retire and bring back.
import { formIdFor } from "../../lib/idempotency.js";
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { BadRequestError } from "../../lib/errors.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { moveSchema, retireSchema, themeNameSchema } from "./schemas.js";
import { checkField, checkMessage, type FieldCheck } from "../../lib/text-check.js";

export function themesRoutes({ services, sessionSecret }: AppContext, registry: RouteSpec[]): Router {
  const { addTheme, findTheme, listThemes, moveTheme, renameTheme, setThemeRetired } = services.themes;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const actorOf = (res: Response) => {
    const u = currentUser(res);
    return { practiceId: u.practice.id, userId: u.id };
  };

  // Theme names are on the public board and group boards: the identifying-details check (lib/text-check.ts).
  const nameCheck = (req: Request, res: Response, name: string) => checkField({ secret: sessionSecret, userId: currentUser(res).id }, "name", name, req.body?.nameConfirmSafe);

  async function renderList(res: Response, status: number, extra: { errors?: FieldErrors; values?: Record<string, unknown>; nameCheck?: FieldCheck } = {}) {
    const themes = await listThemes(currentUser(res).practice.id);
    const errors = extra.errors ?? {};
    res.status(status).render("themes/index", {
      title: "Themes",
      themes,
      errors,
      errorList: errorList(errors, ["name"]),
      values: { formId: formIdFor(), ...(extra.values ?? {}) },
      nameCheck: extra.nameCheck,
    });
  }

  r.get("/themes", MANAGERS, async (_req, res) => {
    await renderList(res, 200);
  });

  r.post("/themes", MANAGERS, async (req, res) => {
    const v = validate(themeNameSchema, req.body);
    const values = { name: typeof req.body?.name === "string" ? req.body.name : "", formId: req.body?.formId };
    if (!v.ok) return renderList(res, 400, { errors: v.errors, values });
    const check = nameCheck(req, res, v.data.name);
    if (check && !check.confirmed) return renderList(res, 400, { errors: { name: checkMessage("The theme name", check) }, values, nameCheck: check });
    // The theme and the audit of a confirmed identifying detail are one transaction.
    const result = await addTheme(actorOf(res), { ...v.data, confirmedKinds: check?.kinds });
    if (!result.ok) return renderList(res, 400, { errors: result.errors, values });
    req.session.flash = { type: "success", text: `Theme "${v.data.name}" added` };
    res.redirect(303, "/themes");
  });

  r.get("/themes/:id/edit", MANAGERS, async (req, res) => {
    const theme = await findTheme(currentUser(res).practice.id, String(req.params.id));
    res.render("themes/edit", { title: "Rename theme", theme, values: { name: theme.name }, backLink: { href: "/themes" } });
  });

  r.post("/themes/:id/edit", MANAGERS, async (req, res) => {
    const theme = await findTheme(currentUser(res).practice.id, String(req.params.id));
    const v = validate(themeNameSchema, req.body);
    const values = { name: typeof req.body?.name === "string" ? req.body.name : "" };
    const fail = (errors: FieldErrors, check?: FieldCheck) =>
      res.status(400).render("themes/edit", { title: "Rename theme", theme, errors, errorList: errorList(errors, ["name"]), values, nameCheck: check, backLink: { href: "/themes" } });
    if (!v.ok) return fail(v.errors);
    const check = v.data.name !== theme.name ? nameCheck(req, res, v.data.name) : undefined;
    if (check && !check.confirmed) return fail({ name: checkMessage("The theme name", check) }, check);
    const result = await renameTheme(actorOf(res), theme.id, v.data.name, { confirmedKinds: check?.kinds });
    if (!result.ok) return fail(result.errors);
    req.session.flash = { type: "success", text: `Theme renamed to "${v.data.name}"` };
    res.redirect(303, "/themes");
  });

  r.post("/themes/:id/move", MANAGERS, async (req, res) => {
    const theme = await findTheme(currentUser(res).practice.id, String(req.params.id));
    const v = validate(moveSchema, req.body);
    if (!v.ok) throw new BadRequestError("Choose to move the theme up or down");
    const result = await moveTheme(actorOf(res), theme.id, v.data.direction);
    req.session.flash = { type: "success", text: result.moved ? `"${result.name}" moved ${v.data.direction}` : `"${result.name}" is already at the ${v.data.direction === "up" ? "top" : "bottom"}` };
    res.redirect(303, `/themes#theme-${theme.id}`);
  });

  r.post("/themes/:id/retire", MANAGERS, async (req, res) => {
    const theme = await findTheme(currentUser(res).practice.id, String(req.params.id));
    const v = validate(retireSchema, req.body);
    if (!v.ok) throw new BadRequestError("Choose to retire the theme or bring it back");
    const retired = v.data.retired === "yes";
    await setThemeRetired(actorOf(res), theme.id, retired);
    req.session.flash = {
      type: "success",
      text: retired ? `"${theme.name}" retired: it stays on existing ideas but is not offered for new ones` : `"${theme.name}" can be chosen for new ideas again`,
    };
    res.redirect(303, `/themes#theme-${theme.id}`);
  });

  return router;
}
