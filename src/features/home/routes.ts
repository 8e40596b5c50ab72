// The landing page and the staff dashboard.
import { Router } from "express";
import type { AppContext } from "../../services.js";
import { ALL_STAFF, mayUse, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { publicLanguage } from "../../middleware/language.js";

export function homeRoutes({ services }: AppContext, registry: RouteSpec[]): Router {
  const { dashboardFor } = services.home;
  const { reopenedIdeas } = services.reportBack;
  const { missingTranslations } = services.translations;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.get("/", "public", publicLanguage, (_req, res) => {
    if (res.locals.currentUser) return res.redirect(303, "/dashboard");
    res.render("home/index", { title: res.locals.t("home.title") });
  });

  r.get("/dashboard", ALL_STAFF, async (_req, res) => {
    const user = currentUser(res);
    const scope = { practiceId: user.practice.id, userId: user.id, role: user.role };
    // To-dos only for those who can act on them: a new response to a reopened
    // idea, a translation (managers, by the routes' own declarations).
    // Facilitators and viewers are not shown (nor queried for) work they
    // cannot do.
    const canRespond = mayUse(registry, "POST", "/ideas/:id/responses", user.role);
    const canTranslate = mayUse(registry, "POST", "/ideas/:id/responses/:responseId/translations", user.role);
    const [dashboard, reopened, untranslated] = await Promise.all([
      dashboardFor(scope),
      canRespond ? reopenedIdeas(scope) : null,
      canTranslate ? missingTranslations(scope, 1) : null,
    ]);
    res.render("home/dashboard", {
      title: "Dashboard",
      dashboard,
      reopened,
      untranslatedCount: untranslated?.total ?? 0,
      canRespond,
      canTranslate,
      // Only links the user can follow (the routes' own access declarations).
      canLogOutcomes: mayUse(registry, "GET", "/sessions/:id/outcome", user.role),
    });
  });

  return router;
}
