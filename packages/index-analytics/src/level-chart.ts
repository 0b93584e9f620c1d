import { type ScaleLinear, type ScaleTime, scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import type { IndexCloses } from './closes.js';

/**
 * What the chart plots: each close as it is (`level`, optionally rebased), or each close's return
 * since the index's own first close (`cumulative-return`, 0% at the start), which compares indices
 * of different levels on one axis.
 */
export type ChartMeasure = 'level' | 'cumulative-return';

export interface LevelChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Default `level`. */
  readonly measure?: ChartMeasure;
  /** Rebase every series so its first close equals this level, as fact sheets do to compare indices (`level` only). */
  readonly rebaseTo?: number;
}

interface Point {
  readonly date: Date;
  readonly value: number;
}

interface Plot {
  readonly width: number;
  readonly height: number;
  readonly x: ScaleTime<number, number>;
  readonly y: ScaleLinear<number, number>;
}

// Colour-blind-safe Okabe–Ito palette; a ninth index reuses the first colour.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
// The legend sits in a row between the title and the plot, so it never hides a line.
const MARGIN = { top: 64, right: 24, bottom: 44, left: 72 };
const LEGEND_Y = 44;

const XML_ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => XML_ENTITIES[char]!);
}

function utcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function colour(i: number): string {
  return COLOURS[i % COLOURS.length]!;
}

function defaultTitle(measure: ChartMeasure, rebaseTo: number | undefined): string {
  if (measure === 'cumulative-return') return 'Cumulative performance';
  return rebaseTo === undefined ? 'Index level history' : `Index level history (rebased to ${rebaseTo})`;
}

/** Levels become floats here on purpose: a pixel position needs no more than four significant digits. */
function seriesPoints(series: readonly IndexCloses[], options: LevelChartOptions): Point[][] {
  const measure = options.measure ?? 'level';
  if (measure === 'cumulative-return' && options.rebaseTo !== undefined)
    throw new RangeError(`rebaseTo was ${options.rebaseTo}; it applies to the level chart only`);
  return series.map((s) => {
    const base = s.closes[0]?.close;
    return s.closes.map((c) => {
      const date = utcDate(c.date);
      if (!base) return { date, value: c.close.toNumber() };
      if (measure === 'cumulative-return') return { date, value: c.close.div(base).minus(1).toNumber() };
      if (options.rebaseTo === undefined) return { date, value: c.close.toNumber() };
      return { date, value: c.close.div(base).times(options.rebaseTo).toNumber() };
    });
  });
}

function plotOf(points: readonly Point[][], width: number, height: number): Plot {
  const all = points.flat();
  if (all.length === 0) throw new RangeError('series had no closes; a chart needs at least one');
  const dates = all.map((p) => p.date.getTime());
  const values = all.map((p) => p.value);
  const x = scaleUtc()
    .domain([new Date(Math.min(...dates)), new Date(Math.max(...dates))])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  return { width, height, x, y };
}

function yAxis({ width, height, y }: Plot, measure: ChartMeasure): string[] {
  const format = y.tickFormat(6, measure === 'cumulative-return' ? '+.0%' : ',f');
  const label = measure === 'cumulative-return' ? 'Cumulative return' : 'Level';
  return [
    '<g class="y-axis">',
    ...y.ticks(6).map((t) => {
      // The 0% line is where every index starts: drawn darker, as the reference.
      const stroke = measure === 'cumulative-return' && t === 0 ? '#888888' : '#e0e0e0';
      const at = y(t).toFixed(2);
      return (
        `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${at}" y2="${at}" stroke="${stroke}"/>` +
        `<text x="${MARGIN.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeXml(format(t))}</text>`
      );
    }),
    `<text transform="translate(16 ${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${label}</text>`,
    '</g>',
  ];
}

function xAxis({ width, height, x }: Plot): string[] {
  const bottom = height - MARGIN.bottom;
  const format = x.tickFormat(8, '%Y-%m');
  return [
    '<g class="x-axis">',
    `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${bottom}" y2="${bottom}" stroke="#333333"/>`,
    ...x.ticks(8).map((t) => {
      const at = x(t).toFixed(2);
      return (
        `<line x1="${at}" x2="${at}" y1="${bottom}" y2="${bottom + 5}" stroke="#333333"/>` +
        `<text x="${at}" y="${bottom + 18}" text-anchor="middle">${escapeXml(format(t))}</text>`
      );
    }),
    `<text x="${(MARGIN.left + width - MARGIN.right) / 2}" y="${height - 6}" text-anchor="middle">Date</text>`,
    '</g>',
  ];
}

// Without a font at hand, text width is estimated: a CJK character is about one em (12 px), a Latin one ~0.6 em.
function estimatedWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(char) ? 12 : 7.5;
  return width;
}

/** One row of legend entries (a colour swatch and the index id), left to right. */
function legend(series: readonly IndexCloses[]): string[] {
  let left = MARGIN.left;
  const entries = series.map((s, i) => {
    const entry =
      `<line x1="${left}" x2="${left + 20}" y1="${LEGEND_Y}" y2="${LEGEND_Y}" stroke="${colour(i)}" stroke-width="3"/>` +
      `<text x="${left + 26}" y="${LEGEND_Y}" dominant-baseline="middle">${escapeXml(s.indexId)}</text>`;
    left += 26 + estimatedWidth(s.indexId) + 20;
    return entry;
  });
  return ['<g class="legend">', ...entries, '</g>'];
}

/**
 * Renders the closes of each index as a standalone SVG line chart: title, legend, date and value
 * axes with grid lines, and one `<path class="series">` per index. Same input, same bytes.
 */
export function renderLevelChartSvg(series: readonly IndexCloses[], options: LevelChartOptions = {}): string {
  const measure = options.measure ?? 'level';
  const title = options.title ?? defaultTitle(measure, options.rebaseTo);
  const points = seriesPoints(series, options);
  const plot = plotOf(points, options.width ?? 960, options.height ?? 480);
  const path = line<Point>()
    .x((p) => plot.x(p.date))
    .y((p) => plot.y(p.value))
    .digits(2);
  const { width, height } = plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...yAxis(plot, measure),
    ...xAxis(plot),
    ...series.map(
      (s, i) =>
        `<path class="series" data-index="${escapeXml(s.indexId)}" d="${path(points[i]!) ?? ''}" fill="none" stroke="${colour(i)}" stroke-width="1.5"/>`,
    ),
    ...legend(series),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
