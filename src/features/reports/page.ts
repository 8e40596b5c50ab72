// The view model of /reports: the report's figures as charts and tables
// (reports/index), built from what reportFor (service.ts) read.
import { barChart, foldSeries, stackedBarChart } from "./charts.js";
import { rangeQuery, type RangeResult } from "./range.js";
import { monthLabel, type reportFor } from "./service.js";

const periodDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
/** The period in words: "1 December 2025 to 26 November 2026". */
export function periodText(r: RangeResult["range"]): string {
  const f = periodDate;
  const d = (x: { year: number; month: number; day: number }) => f.format(new Date(Date.UTC(x.year, x.month - 1, x.day)));
  return `${d(r.from)} to ${d(r.to)}`;
}

/** What reports/index shows besides the form: the figures as charts and tables. */
export function reportPage(parsed: RangeResult, report: Awaited<ReturnType<typeof reportFor>>) {
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

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
