// /reports: charts for managers, CSV exports and the printable evidence report.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../app.js";
import { errorList } from "../../lib/forms.js";
import { MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { currentUser } from "../../middleware/auth.js";
import { staffViewKey } from "../../lib/visibility.js";
import { ideaLabels } from "../ideas/labels.js";
import { renderFragment, renderWithBody } from "../../middleware/views.js";
import { barChart, foldSeries, stackedBarChart } from "./charts.js";
import { csvStringifier } from "./csv.js";
import { ideasExport, responsesExport, sessionsExport, type CsvExport } from "./exports.js";
import { parseRange, rangeQuery, type RangeResult } from "./range.js";
import { evidenceFor, monthLabel, reportFor } from "./service.js";
import { loopFigures } from "../report-back/figures.js";
import { loopView } from "../report-back/loop-view.js";
import { verdictsExport } from "../report-back/exports.js";
import { translationsExport } from "../translations/exports.js";

const FIELD_ORDER = ["from", "to"];

function rangeFrom(req: Request): RangeResult {
  return parseRange(req.query as Record<string, unknown>);
}

const periodDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
/** The period in words: "1 December 2025 to 26 November 2026". */
function periodText(r: RangeResult["range"]): string {
  const f = periodDate;
  const d = (x: { year: number; month: number; day: number }) => f.format(new Date(Date.UTC(x.year, x.month - 1, x.day)));
  return `${d(r.from)} to ${d(r.to)}`;
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

/** What reports/index shows besides the form: the figures as charts and tables. */
function reportPage(parsed: RangeResult, report: Awaited<ReturnType<typeof reportFor>>) {
  // Sessions held: months across, stacked by group.
  const groupIds = [...new Set(report.sessions.map((c) => c.groupId))];
  const groupNames = new Map(report.sessions.map((c) => [c.groupId, c.groupName]));
  const cell = new Map(report.sessions.map((c) => [`${c.groupId}|${c.month}`, c]));
  const series = groupIds.map((g) => ({ name: groupNames.get(g)!, values: report.months.map((m) => cell.get(`${g}|${m}`)?.sessions ?? 0) }));
  const monthTotals = report.months.map((m) => ({
    month: monthLabel(m),
    sessions: report.sessions.filter((c) => c.month === m).reduce((s, c) => s + c.sessions, 0),
    attendance: report.sessions.filter((c) => c.month === m).reduce((s, c) => s + c.attendance, 0),
  }));
  const groupTotals = groupIds.map((g) => {
    const cells = report.sessions.filter((c) => c.groupId === g);
    return { name: groupNames.get(g)!, sessions: cells.reduce((s, c) => s + c.sessions, 0), attendance: cells.reduce((s, c) => s + c.attendance, 0) };
  });
  const totalSessions = groupTotals.reduce((s, g) => s + g.sessions, 0);
  const totalAttendance = groupTotals.reduce((s, g) => s + g.attendance, 0);
  const period = periodText(parsed.range);

  const charts = {
    sessions: stackedBarChart(
      {
        id: "chart-sessions",
        title: `Sessions held per month, by group, ${period}`,
        desc: `${totalSessions} sessions held with ${groupIds.length} groups. ` +
          monthTotals.filter((m) => m.sessions > 0).map((m) => `${m.month}: ${m.sessions}`).join("; ") + ". The table below has the numbers per group.",
      },
      report.months.map(monthLabel),
      foldSeries(series, "Other groups"),
    ),
    attendance: barChart(
      {
        id: "chart-attendance",
        title: `Attendance by group, ${period}`,
        desc: `${totalAttendance} attendances in total. ` + groupTotals.map((g) => `${g.name}: ${g.attendance}`).join("; "),
      },
      groupTotals.map((g) => ({ label: g.name, value: g.attendance })),
      { colour: "#007f3b" },
    ),
    themes: barChart(
      { id: "chart-themes", title: `Ideas by theme, ${period}`, desc: report.themes.map((t) => `${t.name}: ${t.count}`).join("; ") || "No ideas in this period." },
      report.themes.map((t) => ({ label: t.name, value: t.count })),
    ),
    statuses: barChart(
      { id: "chart-statuses", title: `Ideas by status, ${period}`, desc: report.statuses.map((s) => `${s.label}: ${s.count}`).join("; ") },
      report.statuses.map((s) => ({ label: s.label, value: s.count })),
      { colour: "#330072" },
    ),
    deadline: barChart(
      {
        id: "chart-deadline",
        title: `First responses and the deadline, ${period}`,
        desc: `Of ${report.deadline.counted} ideas that count, ${report.deadline.onTime} were answered within the deadline, ${report.deadline.late} were answered late and ${report.deadline.unansweredPastDue} are past the deadline with no answer.`,
      },
      [
        { label: "Answered within deadline", value: report.deadline.onTime },
        { label: "Answered late", value: report.deadline.late },
        { label: "Past deadline, no answer", value: report.deadline.unansweredPastDue },
      ],
      { colour: "#005eb8" },
    ),
    medians: barChart(
      {
        id: "chart-medians",
        title: `Median days from session to first response and to done, ${period}`,
        desc: `To first response: ${report.deadline.medianDaysToFirstResponse === null ? "no responses yet" : report.deadline.medianDaysToFirstResponse.toFixed(1) + " days"}. ` +
          `To done: ${report.deadline.medianDaysToDone === null ? "nothing done yet" : report.deadline.medianDaysToDone.toFixed(1) + " days"}.`,
      },
      [
        ...(report.deadline.medianDaysToFirstResponse === null ? [] : [{ label: "To first response", value: round1(report.deadline.medianDaysToFirstResponse) }]),
        ...(report.deadline.medianDaysToDone === null ? [] : [{ label: "To done", value: round1(report.deadline.medianDaysToDone) }]),
      ],
      { unit: "days", colour: "#7c2855" },
    ),
  };

  return {
    range: parsed.range,
    period,
    query: rangeQuery(parsed.range),
    report,
    charts,
    groupTotals,
    monthTotals,
    series,
    totalSessions,
    totalAttendance,
  };
}

export function reportsRoutes(deps: AppContext, registry: RouteSpec[]): Router {
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const { prisma } = deps;

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
      const [report, loop] = await Promise.all([reportFor(prisma, user.practice.id, parsed.range, now), loopFigures(prisma, user.practice.id, parsed.range)]);
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
    const [evidence, loop] = await Promise.all([evidenceFor(prisma, user.practice.id, parsed.range), loopFigures(prisma, user.practice.id, parsed.range)]);
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
      backLink: { href: `/reports?${rangeQuery(parsed.range)}`, text: "Back to reports" },
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
  exportRoute("/reports/ideas.csv", (practiceId, range) => ideasExport(prisma, practiceId, range));
  exportRoute("/reports/sessions.csv", (practiceId, range) => sessionsExport(prisma, practiceId, range));
  exportRoute("/reports/responses.csv", (practiceId, range) => responsesExport(prisma, practiceId, range));
  exportRoute("/reports/verdicts.csv", (practiceId, range) => verdictsExport(prisma, practiceId, range));
  exportRoute("/reports/translations.csv", (practiceId, range) => translationsExport(prisma, practiceId, range));

  return router;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
