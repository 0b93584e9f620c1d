import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import type { IndexCloses } from './closes.js';

export interface LevelChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Rebase every series so its first close equals this level, as fact sheets do to compare indices. */
  readonly rebaseTo?: number;
}

// Colour-blind-safe Okabe–Ito palette; a ninth index reuses the first colour.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
const MARGIN = { top: 48, right: 24, bottom: 44, left: 72 };

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

/**
 * Renders the level history of each index as a standalone SVG line chart: title, date and level
 * axes with grid lines, one `<path class="series">` per index and a legend. Levels become floats
 * here on purpose: a pixel position needs no more than four significant digits.
 */
export function renderLevelChartSvg(series: readonly IndexCloses[], options: LevelChartOptions = {}): string {
  const width = options.width ?? 960;
  const height = options.height ?? 480;
  const title =
    options.title ??
    (options.rebaseTo === undefined
      ? 'Index level history'
      : `Index level history (rebased to ${options.rebaseTo})`);
  const points = series.map((s) => {
    const base = s.closes[0]?.close;
    return s.closes.map((c) => ({
      date: utcDate(c.date),
      level:
        options.rebaseTo === undefined || !base
          ? c.close.toNumber()
          : c.close.div(base).times(options.rebaseTo).toNumber(),
    }));
  });
  const all = points.flat();
  if (all.length === 0) throw new RangeError('series had no closes; a chart needs at least one');
  const dates = all.map((p) => p.date.getTime());
  const levels = all.map((p) => p.level);
  const x = scaleUtc()
    .domain([new Date(Math.min(...dates)), new Date(Math.max(...dates))])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([Math.min(...levels), Math.max(...levels)])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const path = line<{ date: Date; level: number }>()
    .x((p) => x(p.date))
    .y((p) => y(p.level))
    .digits(2);

  const xTicks = x.ticks(8);
  const xFormat = x.tickFormat(8, '%Y-%m');
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6, ',f');
  const plotBottom = height - MARGIN.bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    '<g class="y-axis">',
    ...yTicks.map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y(t).toFixed(2)}" y2="${y(t).toFixed(2)}" stroke="#e0e0e0"/>` +
        `<text x="${MARGIN.left - 6}" y="${y(t).toFixed(2)}" text-anchor="end" dominant-baseline="middle">${escapeXml(yFormat(t))}</text>`,
    ),
    `<text transform="translate(16 ${(MARGIN.top + plotBottom) / 2}) rotate(-90)" text-anchor="middle">Level</text>`,
    '</g>',
    '<g class="x-axis">',
    `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${plotBottom}" y2="${plotBottom}" stroke="#333333"/>`,
    ...xTicks.map(
      (t) =>
        `<line x1="${x(t).toFixed(2)}" x2="${x(t).toFixed(2)}" y1="${plotBottom}" y2="${plotBottom + 5}" stroke="#333333"/>` +
        `<text x="${x(t).toFixed(2)}" y="${plotBottom + 18}" text-anchor="middle">${escapeXml(xFormat(t))}</text>`,
    ),
    `<text x="${(MARGIN.left + width - MARGIN.right) / 2}" y="${height - 6}" text-anchor="middle">Date</text>`,
    '</g>',
    ...series.map(
      (s, i) =>
        `<path class="series" data-index="${escapeXml(s.indexId)}" d="${path(points[i]!) ?? ''}" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.5"/>`,
    ),
    '<g class="legend">',
    ...series.map((s, i) => {
      const top = MARGIN.top + 8 + i * 18;
      return (
        `<line x1="${MARGIN.left + 12}" x2="${MARGIN.left + 32}" y1="${top}" y2="${top}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="3"/>` +
        `<text x="${MARGIN.left + 38}" y="${top}" dominant-baseline="middle">${escapeXml(s.indexId)}</text>`
      );
    }),
    '</g>',
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
