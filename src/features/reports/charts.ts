// Server-rendered, accessible SVG charts (no JavaScript needed; they print).
// Each chart is an <svg role="img"> labelled by its own <title> and <desc>;
// the page shows the same numbers in a table beneath. Every piece of text is
// escaped here, so the returned string is safe to put in the page as markup.
import { scaleBand, scaleLinear } from "d3-scale";
import { escapeHtml } from "../../lib/view-helpers.js";

/** NHS.UK palette colours with at least 3:1 contrast against white (non-text contrast, WCAG 1.4.11). */
export const PALETTE = ["#005eb8", "#330072", "#007f3b", "#7c2855", "#003087", "#425563", "#8a1538", "#006747"] as const;
const TEXT = "#212b32";
const AXIS = "#4c6272";

export interface BarDatum {
  label: string;
  value: number;
}

export interface ChartText {
  /** Unique on the page: used for the title/desc ids. */
  id: string;
  title: string;
  desc: string;
}

export interface Chart {
  /** For wide screens and print: drawn on a fixed grid and scaled to the width. */
  svg: string;
  /**
   * For narrow screens (phones): one row per bar, the label above it, drawn at
   * the width it is given and never scaled, so its text keeps its size (14 px)
   * at 320 px. Beside `svg` in the page; the stylesheet shows one of the two.
   */
  narrow: string;
}

const e = escapeHtml;

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function open(t: ChartText, width: number, height: number): string {
  const id = e(t.id);
  return (
    `<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-title">${e(t.title)}</title><desc id="${id}-desc">${e(t.desc)}</desc>`
  );
}

/**
 * The narrow drawing's <svg>: no viewBox, so one unit is one pixel and nothing
 * is scaled; widths are percentages of the width it is given. Its own ids, as
 * the wide drawing is on the same page (only one of them is ever displayed).
 */
function openNarrow(t: ChartText, height: number): string {
  const id = e(t.id) + "-narrow";
  return (
    `<svg class="app-chart-narrow" xmlns="http://www.w3.org/2000/svg" width="100%" height="${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${e(t.title)}</title><desc id="${id}-desc">${e(t.desc)}</desc>`
  );
}

/** One row of a narrow chart: the label and its figure on a line, then the bar (segments: [share of the row's width, colour]). */
const NARROW_ROW = 44;
const NARROW_FONT = 14;
function narrowRow(y: number, label: string, figure: string, segments: [number, string][]): string {
  let out = `<g class="app-chart-narrow__row">`;
  out += `<text x="0" y="${y + 15}" font-size="${NARROW_FONT}" fill="${TEXT}">${e(clip(label, 26))}</text>`;
  out += `<text x="100%" y="${y + 15}" text-anchor="end" font-size="${NARROW_FONT}" font-weight="bold" fill="${TEXT}">${e(figure)}</text>`;
  let at = 0;
  for (const [share, colour] of segments) {
    if (share <= 0) continue;
    out += `<rect x="${pct(at)}" y="${y + 21}" width="${pct(share)}" height="14" fill="${e(colour)}" stroke="#ffffff" stroke-width="1"/>`;
    at += share;
  }
  return out + `</g>`;
}

const pct = (share: number) => `${(Math.min(Math.max(share, 0), 1) * 100).toFixed(2)}%`;

function narrowEmpty(y: number): string {
  return `<text x="0" y="${y + 15}" font-size="${NARROW_FONT}" fill="${TEXT}">No data in this period</text>`;
}

/** Shortens a label for drawing; the full text stays in the desc and the table. */
function clip(label: string, max: number): string {
  return label.length > max ? label.slice(0, max - 1) + "…" : label;
}

/** "Nice" integer ticks from 0 to the maximum. */
function ticks(max: number, count = 5): number[] {
  const scale = scaleLinear().domain([0, Math.max(max, 1)]).nice(count);
  const all = scale.ticks(count);
  const whole = all.filter((t) => Number.isInteger(t));
  return whole.length >= 2 ? whole : all;
}

/**
 * Horizontal bar chart: one bar per datum, the label on the left and the
 * value at the end of the bar. Good for long category names (themes).
 */
export function barChart(t: ChartText, data: BarDatum[], opts: { width?: number; unit?: string; colour?: string } = {}): Chart {
  const width = opts.width ?? 640;
  const labelWidth = 220;
  const valueSpace = 70;
  const barHeight = 28;
  const top = 8;
  const height = top + Math.max(data.length, 1) * barHeight + 28;
  const max = Math.max(0, ...data.map((d) => d.value));
  const x = scaleLinear()
    .domain([0, Math.max(max, 1)])
    .nice()
    .range([labelWidth, width - valueSpace]);
  const y = scaleBand()
    .domain(data.map((_, i) => String(i)))
    .range([top, top + data.length * barHeight])
    .paddingInner(0.25);
  const colour = opts.colour ?? PALETTE[0];
  const unit = opts.unit ? ` ${opts.unit}` : "";
  let out = open(t, width, height);
  out += `<g class="app-chart__grid" aria-hidden="true">`;
  for (const tick of ticks(x.domain()[1]!)) {
    const tx = x(tick).toFixed(1);
    out += `<line x1="${tx}" x2="${tx}" y1="${top}" y2="${height - 22}" stroke="#d8dde0"/>`;
    out += `<text x="${tx}" y="${height - 6}" text-anchor="middle" font-size="12" fill="${AXIS}">${fmt(tick)}</text>`;
  }
  out += `</g>`;
  if (data.length === 0) {
    out += `<text x="${labelWidth}" y="${top + 18}" font-size="14" fill="${TEXT}">No data in this period</text>`;
  }
  data.forEach((d, i) => {
    const by = y(String(i))!;
    const bh = y.bandwidth();
    const bw = Math.max(0, x(d.value) - labelWidth);
    out += `<g class="app-chart__bar">`;
    out += `<text x="${labelWidth - 8}" y="${(by + bh / 2 + 5).toFixed(1)}" text-anchor="end" font-size="14" fill="${TEXT}">${e(clip(d.label, 30))}</text>`;
    out += `<rect x="${labelWidth}" y="${by.toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${e(colour)}"/>`;
    out += `<text x="${(labelWidth + bw + 6).toFixed(1)}" y="${(by + bh / 2 + 5).toFixed(1)}" font-size="14" font-weight="bold" fill="${TEXT}">${e(fmt(d.value) + unit)}</text>`;
    out += `</g>`;
  });
  out += `<line x1="${labelWidth}" x2="${labelWidth}" y1="${top}" y2="${height - 22}" stroke="${AXIS}" aria-hidden="true"/>`;
  return { svg: out + `</svg>`, narrow: narrowBars(t, data, max, colour, unit) };
}

/** The narrow drawing of barChart: each label and value on a line, its bar beneath, the longest bar the full width. */
function narrowBars(t: ChartText, data: BarDatum[], max: number, colour: string, unit: string): string {
  let out = openNarrow(t, Math.max(data.length, 1) * NARROW_ROW);
  if (data.length === 0) out += narrowEmpty(0);
  data.forEach((d, i) => {
    out += narrowRow(i * NARROW_ROW, d.label, fmt(d.value) + unit, [[max > 0 ? d.value / max : 0, colour]]);
  });
  return out + `</svg>`;
}

export interface StackedSeries {
  name: string;
  /** One value per category, in the order of `categories`. */
  values: number[];
  /**
   * A fixed colour, for a series whose colour carries meaning (a verdict:
   * answered is green, not yet is red) and must not depend on its position.
   * Default: the PALETTE colour of the series' position.
   */
  colour?: string;
}

const seriesColour = (s: StackedSeries, si: number): string => s.colour ?? PALETTE[si % PALETTE.length]!;

/**
 * Keeps the `keep - 1` largest series and sums the rest into one ("Other groups"),
 * so every series drawn has its own colour. The table beneath keeps them all.
 */
export function foldSeries(series: StackedSeries[], otherName: string, keep: number = PALETTE.length): StackedSeries[] {
  if (series.length <= keep) return series;
  const total = (s: StackedSeries) => s.values.reduce((a, b) => a + b, 0);
  const ranked = series.map((s, i) => ({ s, i, t: total(s) })).sort((a, b) => b.t - a.t || a.i - b.i);
  const kept = ranked.slice(0, keep - 1).sort((a, b) => a.i - b.i).map((r) => r.s);
  const rest = ranked.slice(keep - 1).map((r) => r.s);
  const other = { name: otherName, values: series[0]!.values.map((_, k) => rest.reduce((sum, s) => sum + (s.values[k] ?? 0), 0)) };
  return [...kept, other];
}

/**
 * Vertical stacked column chart: one column per category (months), stacked by
 * series (groups), with a legend. Segments are separated by a white line so
 * neighbouring colours stay distinguishable.
 */
export function stackedBarChart(t: ChartText, categories: string[], series: StackedSeries[], opts: { width?: number } = {}): Chart {
  const width = opts.width ?? 640;
  const left = 40;
  const right = 12;
  const top = 16;
  const plotHeight = 220;
  const axisSpace = 48;
  const legendRow = 22;
  const legendHeight = series.length * legendRow + 8;
  const height = top + plotHeight + axisSpace + legendHeight;
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const y = scaleLinear()
    .domain([0, Math.max(max, 1)])
    .nice()
    .range([top + plotHeight, top]);
  const x = scaleBand().domain(categories).range([left, width - right]).paddingInner(0.2).paddingOuter(0.1);
  const bottom = top + plotHeight;
  let out = open(t, width, height);
  out += `<g class="app-chart__grid" aria-hidden="true">`;
  for (const tick of ticks(y.domain()[1]!)) {
    const ty = y(tick).toFixed(1);
    out += `<line x1="${left}" x2="${width - right}" y1="${ty}" y2="${ty}" stroke="#d8dde0"/>`;
    out += `<text x="${left - 6}" y="${(Number(ty) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="${AXIS}">${fmt(tick)}</text>`;
  }
  out += `</g>`;
  // Labels on two lines ("Mar" over "2026"), so a year's months fit side by side.
  const step = categories.length > 13 ? Math.ceil(categories.length / 13) : 1;
  categories.forEach((c, i) => {
    const cx = x(c)!;
    const bw = x.bandwidth();
    let acc = 0;
    out += `<g class="app-chart__column">`;
    series.forEach((s, si) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      const y0 = y(acc);
      const y1 = y(acc + v);
      acc += v;
      out += `<rect x="${cx.toFixed(1)}" y="${y1.toFixed(1)}" width="${bw.toFixed(1)}" height="${(y0 - y1).toFixed(1)}" fill="${e(seriesColour(s, si))}" stroke="#ffffff" stroke-width="1"/>`;
    });
    if (totals[i]! > 0) {
      out += `<text x="${(cx + bw / 2).toFixed(1)}" y="${(y(totals[i]!) - 4).toFixed(1)}" text-anchor="middle" font-size="12" font-weight="bold" fill="${TEXT}">${fmt(totals[i]!)}</text>`;
    }
    if (i % step === 0) {
      const [first, ...rest] = clip(c, 16).split(" ");
      const mid = (cx + bw / 2).toFixed(1);
      out += `<text x="${mid}" y="${bottom + 18}" text-anchor="middle" font-size="12" fill="${TEXT}"><tspan x="${mid}">${e(first ?? "")}</tspan>`;
      if (rest.length) out += `<tspan x="${mid}" dy="14">${e(rest.join(" "))}</tspan>`;
      out += `</text>`;
    }
    out += `</g>`;
  });
  out += `<line x1="${left}" x2="${width - right}" y1="${bottom}" y2="${bottom}" stroke="${AXIS}" aria-hidden="true"/>`;
  if (series.length === 0) {
    out += `<text x="${left + 8}" y="${top + plotHeight / 2}" font-size="14" fill="${TEXT}">No data in this period</text>`;
  }
  out += `<g class="app-chart__legend">`;
  series.forEach((s, si) => {
    const ly = bottom + axisSpace + si * legendRow;
    out += `<rect x="${left}" y="${ly}" width="14" height="14" fill="${e(seriesColour(s, si))}"/>`;
    out += `<text x="${left + 20}" y="${ly + 12}" font-size="13" fill="${TEXT}">${e(clip(s.name, 60))}</text>`;
  });
  out += `</g>`;
  return { svg: out + `</svg>`, narrow: narrowStacked(t, categories, series, totals, max) };
}

/**
 * The narrow drawing of stackedBarChart: a row per category (its label and
 * total on a line, the stacked bar beneath, the largest total the full
 * width), then the legend, a series a line.
 */
function narrowStacked(t: ChartText, categories: string[], series: StackedSeries[], totals: number[], max: number): string {
  const legendRow = 22;
  const legendTop = Math.max(categories.length, 1) * NARROW_ROW + 8;
  let out = openNarrow(t, legendTop + series.length * legendRow);
  if (series.length === 0 || categories.length === 0) out += narrowEmpty(0);
  else {
    categories.forEach((c, i) => {
      const segments = series.map((s, si): [number, string] => [max > 0 ? (s.values[i] ?? 0) / max : 0, seriesColour(s, si)]);
      out += narrowRow(i * NARROW_ROW, c, fmt(totals[i]!), segments);
    });
  }
  out += `<g class="app-chart-narrow__legend">`;
  series.forEach((s, si) => {
    const ly = legendTop + si * legendRow;
    out += `<rect x="0" y="${ly}" width="14" height="14" fill="${e(seriesColour(s, si))}"/>`;
    out += `<text x="20" y="${ly + 12}" font-size="${NARROW_FONT}" fill="${TEXT}">${e(clip(s.name, 34))}</text>`;
  });
  return out + `</g></svg>`;
}
