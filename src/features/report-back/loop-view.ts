// "Closing the loop" as the reports page and the evidence report show it: a
// stacked chart per group (with the same numbers in tables beneath) and the median.
import { stackedBarChart } from "../reports/charts.js";
import { COUNTED_KINDS, percent, type LoopFigures } from "./figures.js";

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
    COUNTED_KINDS.map((k) => ({ name: loop.labels[k], values: loop.byGroup.map((g) => g.counts[k]) })),
  );
  return { loop, loopChart: chart, loopKinds: COUNTED_KINDS, percent };
}
