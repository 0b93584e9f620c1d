import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildSeedYearlyCloses } from '../scripts/seed-yearly-closes.js';
import { renderLevelChartSvg } from '../src/index.js';

describe('renderLevelChartSvg', () => {
  const series = buildSeedYearlyCloses();
  const svg = renderLevelChartSvg(series, { title: 'Seed <indices> & levels' });
  const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as {
    svg: { path: { class: string; 'data-index': string; d: string }[]; title: string; g: unknown[] };
  };

  it('is well-formed XML with an svg root', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(document.svg).toBeDefined();
  });

  it('draws one series path per index, named after it', () => {
    const paths = document.svg.path.filter((p) => p.class === 'series');
    expect(paths.map((p) => p['data-index'])).toEqual(series.map((s) => s.indexId));
    for (const p of paths) expect(p.d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
  });

  it('has a title, date and level axes and a legend', () => {
    expect(document.svg.title).toBe('Seed <indices> & levels');
    expect(svg).toContain('class="x-axis"');
    expect(svg).toContain('>2022-01<');
    expect(svg).toContain('class="y-axis"');
    expect(svg).toContain('class="legend"');
    for (const s of series) expect(svg).toContain(`>${s.indexId}</text>`);
  });

  it('plots the cumulative return from each index’s first close, 0% at the start', () => {
    const cumulative = renderLevelChartSvg(series, { measure: 'cumulative-return' });
    expect(cumulative).toContain('<title>Cumulative performance</title>');
    expect(cumulative).toContain('>Cumulative return<');
    expect(cumulative).toMatch(/>\+0%<\/text>/);
    expect(cumulative).toMatch(/>\+100%<\/text>/);
    expect(cumulative).toMatch(/>−20%<\/text>/);
    const zero = /y1="([\d.]+)" y2="[\d.]+" stroke="#888888"\/><text[^>]*>\+0%</.exec(cumulative)![1];
    const starts = [...cumulative.matchAll(/class="series"[^>]* d="M[\d.]+,([\d.]+)/g)].map((m) => m[1]);
    expect(starts).toEqual(series.map(() => zero));
    expect(() => renderLevelChartSvg(series, { measure: 'cumulative-return', rebaseTo: 1000 })).toThrow(
      'rebaseTo was 1000; it applies to the level chart only',
    );
  });

  it('rebases every series to the same first level when asked', () => {
    const rebased = renderLevelChartSvg(series, { rebaseTo: 100 });
    const starts = [...rebased.matchAll(/class="series"[^>]* d="M([\d.]+),([\d.]+)/g)].map((m) => m[2]);
    expect(new Set(starts).size).toBe(1);
  });
});
