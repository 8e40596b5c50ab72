// /sessions/:id/report-back: the printable report-back sheet for a group's
// session (issue 18): large type, no staff names, only what the group may see.
// The same list is a section of the session's briefing (views/report-back/_list.ejs).
import { Router } from "express";
import type { AppContext } from "../../services.js";
import { ALL_STAFF, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { assertCanView } from "../sessions/service.js";
import { reportBackView } from "./view.js";
import type { LanguageCode } from "../../i18n.js";
import { TRANSLATION_LANGUAGES, TRANSLATOR_ROLE_LABELS } from "../translations/service.js";

export function reportBackRoutes({ services }: AppContext, registry: RouteSpec[]): Router {
  const { getSession } = services.sessions;
  const { reportBackFor } = services.reportBack;
  const { latestTranslations } = services.translations;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.get("/sessions/:id/report-back", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const session = await getSession(user.practice.id, String(req.params.id));
    assertCanView(session, user);
    const list = await reportBackFor({ id: session.id, practiceId: user.practice.id, groupId: session.groupId, startsAt: session.startsAt });
    // The sheet in one of the group's languages: each answer with its person-written translation, where there is one.
    const language = TRANSLATION_LANGUAGES.find((l) => l.code === req.query.lang);
    const translations = language
      ? await latestTranslations(user.practice.id, list.items.flatMap((i) => (i.response ? [i.response.id] : [])), language.code)
      : new Map();
    res.render("report-back/sheet", {
      language: language ?? null,
      translations,
      translatorRoleLabels: TRANSLATOR_ROLE_LABELS,
      languageLinks: TRANSLATION_LANGUAGES,
      title: `Report-back sheet: ${session.title}`,
      session,
      practiceName: user.practice.name,
      ...reportBackView(list, new Date(), (language?.code ?? "en") as LanguageCode),
      backLink: { href: `/sessions/${session.id}#report-back` },
    });
  });

  return router;
}
