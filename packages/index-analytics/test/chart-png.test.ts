import { describe, expect, it } from 'vitest';
import { buildSeedYearlyCloses } from '../scripts/seed-yearly-closes.js';
import { renderChartPng, renderLevelChartSvg } from '../src/index.js';
import { decodePng, pngSize } from './png.js';

const series = buildSeedYearlyCloses();

function hex(colour: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
}

/** Pixels of exactly this opaque colour inside [top, bottom) rows. */
function countColour(png: Uint8Array, colour: string, top = 0, bottom = Number.POSITIVE_INFINITY): number {
  const { width, height, rgba } = decodePng(png);
  const [r, g, b] = hex(colour);
  let count = 0;
  for (let row = top; row < Math.min(bottom, height); row++)
    for (let col = 0; col < width; col++) {
      const at = (row * width + col) * 4;
      if (rgba[at] === r && rgba[at + 1] === g && rgba[at + 2] === b && rgba[at + 3] === 255) count++;
    }
  return count;
}

/** Pixels darker than mid-grey inside [top, bottom) rows: drawn text. */
function countDark(png: Uint8Array, top: number, bottom: number): number {
  const { width, rgba } = decodePng(png);
  let count = 0;
  for (let row = top; row < bottom; row++)
    for (let col = 0; col < width; col++) {
      const at = (row * width + col) * 4;
      if (rgba[at]! + rgba[at + 1]! + rgba[at + 2]! < 3 * 128) count++;
    }
  return count;
}

// Each PNG reads two 8 MB font files: well under a second alone, several on a busy machine.
describe('renderChartPng', { timeout: 30_000 }, () => {
  const svg = renderLevelChartSvg(series, { measure: 'cumulative-return', width: 800, height: 400 });

  it('is a PNG of the chart’s width and height (IHDR)', async () => {
    expect(pngSize(await renderChartPng(svg))).toEqual({ width: 800, height: 400 });
    const small = renderLevelChartSvg(series, { width: 320, height: 200 });
    expect(pngSize(await renderChartPng(small))).toEqual({ width: 320, height: 200 });
  });

  it('gives the same bytes for the same closes, and different bytes for different closes', async () => {
    const first = await renderChartPng(svg);
    const again = await renderChartPng(
      renderLevelChartSvg(buildSeedYearlyCloses(), { measure: 'cumulative-return', width: 800, height: 400 }),
    );
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const fewer = renderLevelChartSvg(series.slice(0, 3), {
      measure: 'cumulative-return',
      width: 800,
      height: 400,
    });
    expect(Buffer.from(await renderChartPng(fewer)).equals(Buffer.from(first))).toBe(false);
  });

  it('draws each index in its own colour, and the title and legend text', async () => {
    const png = await renderChartPng(svg);
    for (const colour of ['#0072B2', '#D55E00', '#009E73', '#CC79A7'])
      expect(countColour(png, colour)).toBeGreaterThan(200);
    expect(countDark(png, 8, 30)).toBeGreaterThan(100); // the title
    expect(countDark(png, 36, 52)).toBeGreaterThan(100); // the legend's index names
  });

  it('draws CJK index names with the bundled font, whatever fonts the machine has', async () => {
    const text = (label: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" font-family="sans-serif" font-size="20"><rect width="200" height="40" fill="#ffffff"/><text x="10" y="28">${label}</text></svg>`;
    const cjk = await renderChartPng(text('沪深港AI大模型'));
    expect(countDark(cjk, 0, 40)).toBeGreaterThan(200);
    expect(countDark(await renderChartPng(text('')), 0, 40)).toBe(0);
  });
});
