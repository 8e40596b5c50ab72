// /reports: charts for managers, CSV exports and the printable evidence report.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { errorList } from "../../lib/forms.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { staffViewKey } from "../../lib/visibility.js";
import { ideaLabels } from "../../lib/vocabulary.js";
import { renderFragment, renderWithBody } from "../../middleware/views.js";
import { csvStringifier } from "./csv.js";
import type { CsvExport } from "./exports.js";
import { parseRange, rangeQuery, type RangeResult } from "./range.js";
import { periodText, reportPage } from "./page.js";
import { loopView } from "../report-back/loop-view.js";

const FIELD_ORDER = ["from", "to"];

function rangeFrom(req: Request): RangeResult {
  return parseRange(req.query as Record<string, unknown>);
}

/**
 * Streams an export. A download the person stops (or loses) part-way is theirs
 * to stop: noted, not an error. Any other failure part-way (the database, say)
 * is an error: the error handler logs it and cuts the connection, so the file
 * arrives visibly incomplete rather than looking whole.
 */
async function sendCsv(req: Request, res: Response, csv: CsvExport) {
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader("Content-Disposition", `attachment; filename="${csv.filename}"`);
  res.setHeader("X-Content-Type-Options", "nosniff");
  try {
    await pipeline(Readable.from(csv.rows), csvStringifier(csv.columns), res);
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE" && !res.writableFinished && req.socket.destroyed) {
      req.log.info({ file: csv.filename }, "download stopped by the client before the end");
      return;
    }
    throw err;
  }
}

export function reportsRoutes(deps: AppContext, registry: RouteSpec[]): Router {
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const { evidenceFor, ideasExport, reportWithLoop, responsesExport, sessionsExport } = deps.services.reports;
  const { loopFigures, verdictsExport } = deps.services.reportBack;
  const { translationsExport } = deps.services.translations;

  // The page is kept rendered per practice data version and range (lib/practice-cache.ts):
  // exact after any save, and until the next unanswered idea passes its deadline.
  // A page with range errors is not kept.
  r.get("/reports", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const parsed = rangeFrom(req);
    const hasErrors = Object.keys(parsed.errors).length > 0;
    const locals = {
      title: "Reports",
      errors: parsed.errors,
      errorList: errorList(parsed.errors, FIELD_ORDER),
      values: parsed.values,
    };
    const build = async () => {
      const now = new Date();
      const { report, loop } = await reportWithLoop(user.practice.id, parsed.range, now);
      return { html: await renderFragment(res, "reports/index", { ...locals, ...reportPage(parsed, report), ...loopView(loop, parsed.range) }), validUntil: report.deadline.nextDueAt };
    };
    const body = hasErrors
      ? (await build()).html
      : await deps.staffCache.get(user.practice, `reports|${staffViewKey({ practiceId: user.practice.id, userId: user.id, role: user.role })}|${rangeQuery(parsed.range)}|${JSON.stringify(parsed.values)}`, build);
    res.status(hasErrors ? 400 : 200);
    await renderWithBody(res, body, locals);
  });

  r.get("/reports/evidence", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const parsed = rangeFrom(req);
    const [evidence, loop] = await Promise.all([evidenceFor(user.practice.id, parsed.range), loopFigures(user.practice.id, parsed.range)]);
    const hasErrors = Object.keys(parsed.errors).length > 0;
    res.status(hasErrors ? 400 : 200).render("reports/evidence", {
      labels: ideaLabels,
      title: "Engagement evidence report",
      errors: parsed.errors,
      errorList: errorList(parsed.errors, FIELD_ORDER),
      values: parsed.values,
      range: parsed.range,
      period: periodText(parsed.range),
      query: rangeQuery(parsed.range),
      evidence,
      ...loopView(loop, parsed.range),
      generatedAt: new Date(),
      backLink: { href: `/reports?${rangeQuery(parsed.range)}` },
    });
  });

  // Exports: a bad range is refused (400) rather than silently exporting another period.
  const exportRoute = (path: string, build: (practiceId: string, range: RangeResult["range"]) => CsvExport) =>
    r.get(path, MANAGERS, async (req, res) => {
      const user = currentUser(res);
      const parsed = rangeFrom(req);
      if (Object.keys(parsed.errors).length > 0) {
        return res.status(400).render("reports/bad-range", { title: "The export could not be made", message: Object.values(parsed.errors).join(". ") });
      }
      req.log.info({ export: path, practiceId: user.practice.id }, "report exported");
      await sendCsv(req, res, build(user.practice.id, parsed.range));
    });
  exportRoute("/reports/ideas.csv", (practiceId, range) => ideasExport(practiceId, range));
  exportRoute("/reports/sessions.csv", (practiceId, range) => sessionsExport(practiceId, range));
  exportRoute("/reports/responses.csv", (practiceId, range) => responsesExport(practiceId, range));
  exportRoute("/reports/verdicts.csv", (practiceId, range) => verdictsExport(practiceId, range));
  exportRoute("/reports/translations.csv", (practiceId, range) => translationsExport(practiceId, range));

  return router;
}
