// What the app is built from (AppDeps), the services made from it once in the
// app factory (createServices), and what every feature's routes receive
// (AppContext). Feature files import their types from here, never from app.ts.
// Routes call services; only services (and src/db) hold the Prisma client.
import type { Config } from "./config.js";
import type { Database } from "./db/index.js";
import { bindClient } from "./db/client.js";
import type { PracticeCache } from "./lib/practice-cache.js";
import type { Logger } from "./logger.js";
import * as audit from "./features/audit/service.js";
import * as auth from "./features/auth/service.js";
import { loginLimiterFor } from "./features/auth/rate-limit.js";
import * as dashboard from "./features/home/dashboard.js";
import * as groups from "./features/groups/service.js";
import * as ideas from "./features/ideas/service.js";
import * as outcomes from "./features/outcomes/service.js";
import * as partners from "./features/partners/service.js";
import * as publicPages from "./features/public/service.js";
import * as find from "./features/public/find.js";
import * as reports from "./features/reports/service.js";
import * as reportExports from "./features/reports/exports.js";
import * as responses from "./features/responses/service.js";
import * as sessions from "./features/sessions/service.js";
import * as sessionDrafts from "./features/sessions/draft.js";
import * as sessionEdits from "./features/sessions/edit.js";
import * as themes from "./features/themes/service.js";
import * as users from "./features/users/service.js";
import * as calendar from "./features/calendar/service.js";
import * as calendarFeeds from "./features/calendar/feeds.js";
import * as reportBack from "./features/report-back/service.js";
import * as reopened from "./features/report-back/reopened.js";
import * as verdicts from "./features/report-back/verdicts.js";
import * as reportBackFigures from "./features/report-back/figures.js";
import * as verdictExports from "./features/report-back/exports.js";
import * as translations from "./features/translations/service.js";
import * as translationExports from "./features/translations/exports.js";
import * as mail from "./features/mail/service.js";

/** What the app is built from: server.ts and the tests make these. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  sessionSecret: string;
  /** Staff page fragments keyed by practice data version; made from config when not given. */
  staffCache?: PracticeCache;
}

/**
 * Every service function a route may call, bound to the app's database. A new
 * service function routes need: add its name to its feature's list here.
 */
export function createServices({ db }: Pick<AppDeps, "db">) {
  const { prisma, pool } = db;
  return {
    audit: bindClient(prisma, audit, ["recordAudit"]),
    auth: { ...bindClient(prisma, auth, ["signIn", "recordBlockedSignIn"]), loginLimiter: loginLimiterFor(pool) },
    home: bindClient(prisma, dashboard, ["dashboardFor"]),
    users: bindClient(prisma, users, [
      "listMembers", "getMember", "inviteUser", "reissueInvitation", "changeRole", "setMembershipActive", "findUsableInvitation", "acceptInvitation",
      "joinPractice", "changeOwnPassword", "auditActors", "auditPage",
    ]),
    partners: bindClient(prisma, partners, ["listPartners", "getPartner", "createPartner", "updatePartner", "setPartnerArchived", "partnerChoices"]),
    groups: bindClient(prisma, groups, ["listGroups", "getGroup", "checkPartner", "createGroup", "updateGroup", "setGroupArchived", "rotateGroupLink", "groupOverview"]),
    sessions: {
      ...bindClient(prisma, sessions, [
        "listSessions", "facilitatorChoices", "groupChoices", "activeGroup", "getSession", "facilitatorNames", "checkReferences", "createSession", "updateSession",
        "updatePreparation", "changeStatus", "groupDefaults",
      ]),
      // Sessions planned step by step (sessions/draft.ts).
      ...bindClient(prisma, sessionDrafts, ["getDraft", "listDrafts", "createDraft", "saveSection", "referenceErrors", "scheduleDraft", "scheduledFrom", "deleteDraft"]),
      // A session changed one section at a time (sessions/edit.ts).
      ...bindClient(prisma, sessionEdits, ["saveSessionSection"]),
    },
    outcomes: bindClient(prisma, outcomes, ["sessionForOutcome", "savedIdeas", "saveDraft", "finaliseOutcome", "updateFinalOutcome"]),
    themes: bindClient(prisma, themes, ["listThemes", "activeThemes", "findTheme", "addTheme", "renameTheme", "moveTheme", "setThemeRetired"]),
    ideas: {
      ...bindClient(prisma, ideas, [
        "listIdeas", "filterOptions", "getIdeaDetail", "getIdeaForViewer", "publishIdea", "unpublishIdea", "correctIdea", "themeChoices",
        "getResponseDeadline", "setResponseDeadline",
      ]),
      // The list's one statement through the pool: no pass through Prisma's query compiler (db/client.ts queryRows).
      ...bindClient(pool, ideas, ["listIdeasWithOptions"]),
    },
    responses: bindClient(prisma, responses, ["createResponse"]),
    public: {
      ...bindClient(prisma, publicPages, ["groupByToken", "loadBoard", "latestItems", "loadIdea", "recentUpdates"]),
      ...bindClient(pool, publicPages, ["practiceBySlug"]),
      // Cache hits of one practice that arrive together share one read of it (public/service.ts).
      readPractice: publicPages.practiceReader(pool),
      ...bindClient(prisma, find, ["findPractices"]),
    },
    reports: {
      ...bindClient(prisma, reports, ["evidenceFor"]),
      ...bindClient(pool, reports, ["reportFor", "reportWithLoop"]),
      ...bindClient(prisma, reportExports, ["ideasExport", "sessionsExport", "responsesExport"]),
    },
    reportBack: {
      ...bindClient(prisma, reportBack, ["reportBackFor"]),
      ...bindClient(prisma, reopened, ["reopenedIdeas"]),
      ...bindClient(prisma, verdicts, ["sessionVerdicts"]),
      ...bindClient(pool, reportBackFigures, ["loopFigures"]),
      ...bindClient(prisma, verdictExports, ["verdictsExport"]),
    },
    translations: {
      ...bindClient(prisma, translations, ["groupForLanguages", "setReadingLanguages", "translatableResponse", "addTranslation", "missingTranslations", "latestTranslations"]),
      ...bindClient(prisma, translationExports, ["translationsExport"]),
    },
    mail: bindClient(prisma, mail, ["emailPreferences", "setEmailPreferences", "outboxPage", "outboxMessage", "failedPage", "retryFailed"]),
    calendar: {
      ...bindClient(prisma, calendar, ["monthSessions", "groupGaps", "calendarGaps", "gapMonths", "setGapMonths", "findClashes"]),
      ...bindClient(prisma, calendarFeeds, ["feedsOf", "issueFeedToken", "revokeFeed", "openFeed"]),
    },
  };
}
export type Services = ReturnType<typeof createServices>;

/** What every feature's routes receive: services, never the database itself. */
export interface AppContext {
  config: Config;
  logger: Logger;
  sessionSecret: string;
  services: Services;
  staffCache: PracticeCache;
}
