import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The family name inside the bundled Noto Sans SC files (their `name` table), which the SVG's sans-serif maps to. */
const FONT_FAMILY = 'Noto Sans S Chinese';
const FONT_PACKAGE = '@embedpdf/fonts-sc';
// Regular for labels, Bold for the title; the package's other weights are never loaded.
const FONT_FILES = ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'];

/** A chart could not be rasterised: the renderer or its font is missing (an incomplete install). */
export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';
  readonly retriable = false;
  /** The missing file or module. */
  readonly value: string;

  constructor(value: string, explanation: string, cause?: unknown) {
    super(`${explanation}: ${value.slice(0, 200)}`, cause === undefined ? undefined : { cause });
    this.value = value;
  }
}

/**
 * The font files, from the font package's directory. The package exports only its metadata
 * module, so the files are found beside it rather than through a subpath import.
 */
function fontFiles(): string[] {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(FONT_PACKAGE);
  } catch (error) {
    throw new ChartRenderError(FONT_PACKAGE, 'the chart font package is not installed', error);
  }
  const files = FONT_FILES.map((file) => join(dirname(entry), '..', 'fonts', file));
  for (const file of files)
    if (!existsSync(file)) throw new ChartRenderError(file, 'a chart font file is missing');
  return files;
}

/**
 * Rasterises an SVG chart (as `renderLevelChartSvg` writes it) to PNG at its own width and height.
 * Only the bundled fonts are loaded, never the system's, so the same SVG gives the same PNG bytes
 * on every machine with the same renderer version, and CJK index names draw everywhere. The
 * native renderer is loaded on first use: a process that draws no PNG never loads it.
 */
export async function renderChartPng(svg: string): Promise<Uint8Array> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (error) {
    throw new ChartRenderError('@resvg/resvg-js', 'the PNG renderer could not be loaded', error);
  }
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  return new Uint8Array(renderer.render().asPng());
}
