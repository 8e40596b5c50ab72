// "Closing the loop" as the reports page and the evidence report show it: a
// stacked chart per group (with the same numbers in tables beneath) and the median.
import { stackedBarChart } from "../reports/charts.js";
import { COUNTED_KINDS, percent, type CountedKind, type LoopFigures } from "./figures.js";

/**
 * One colour per verdict, whatever the order or the data, so the chart and its
 * legend carry the meaning: answered green, not yet red, partly the neutral NHS
 * blue between them (an amber from the NHS palette, orange #ed8b00, has only
 * 2.5:1 against white, below the 3:1 that WCAG 1.4.11 asks of chart fills), no
 * longer matters grey. NHS.UK colours; contrast against white in brackets.
 */
export const VERDICT_COLOURS: Readonly<Record<CountedKind, string>> = {
  ANSWERS: "#007f3b", // NHS green (5.1:1)
  PARTLY: "#005eb8", // NHS blue (6.4:1)
  NOT_YET: "#8a1538", // NHS dark red (9.4:1)
  NO_LONGER_MATTERS: "#768692", // NHS mid grey (3.8:1)
};

export function loopView(loop: LoopFigures, _range: unknown) {
  const o = loop.overall;
  const chart = stackedBarChart(
    {
      id: "chart-loop",
      title: "What the groups said about the practice's answers, by group",
      desc: o.total === 0
        ? "No group has given a verdict on an answer in this period."
        : `Of ${o.total} ideas with a verdict: ` + COUNTED_KINDS.map((k) => `${loop.labels[k].toLowerCase()} ${o.counts[k]} (${percent(o.shares[k])})`).join("; ") + ". The table below has the numbers per group.",
    },
    loop.byGroup.map((g) => g.name),
    COUNTED_KINDS.map((k) => ({ name: loop.labels[k], values: loop.byGroup.map((g) => g.counts[k]), colour: VERDICT_COLOURS[k] })),
  );
  return { loop, loopChart: chart, loopKinds: COUNTED_KINDS, percent };
}
