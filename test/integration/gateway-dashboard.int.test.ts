import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import { Dec, formatFixed, type OfficialClose } from '@indexflow/index-engine';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { launchChromium } from '../../services/gateway/src/testing/chromium.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import { makeDataset, prepareEnvironment, produce } from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';

const start = trackedCalculators();
const INDEX = '995365.SSI';
const KEY = 'dashboard-key-5c8e21';

/** Splits a dataset's ticks and FX at `fraction` of its ticks, into two datasets replayed in turn. */
function splitDataset(dir: string, fraction: number): [string, string] {
  const parts = [join(dir, 'part-1'), join(dir, 'part-2')] as const;
  const [header, ...ticks] = readFileSync(join(dir, 'ticks.csv'), 'utf8').trimEnd().split('\n');
  const cut = Math.floor(ticks.length * fraction);
  const cutTime = Date.parse(ticks[cut]!.split(',')[0]!);
  const [fxHeader, ...fx] = readFileSync(join(dir, 'fx.csv'), 'utf8').trimEnd().split('\n');
  for (const [i, part] of parts.entries()) {
    mkdirSync(part, { recursive: true });
    cpSync(join(dir, 'indices'), join(part, 'indices'), { recursive: true });
    const rows = i === 0 ? ticks.slice(0, cut) : ticks.slice(cut);
    writeFileSync(join(part, 'ticks.csv'), `${[header, ...rows].join('\n')}\n`);
    const fxRows = fx.filter((row) => Date.parse(row.split(',')[0]!) < cutTime === (i === 0));
    writeFileSync(join(part, 'fx.csv'), `${[fxHeader, ...fxRows].join('\n')}\n`);
  }
  return [parts[0], parts[1]];
}

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.close();
});

describe('gateway dashboard in headless Chromium', () => {
  it('draws the intraday chart and updates the level and the constituents table live from a replay', async () => {
    const browser = await launchChromium();
    try {
      const datasetDir = makeDataset('sample');
      const [first, second] = splitDataset(datasetDir, 0.3);
      const environment = await prepareEnvironment({ ...serviceEndpoints(), datasetDir });
      const calculator = start(environment.env);
      await produce(environment, first);
      gateway = await startGateway(
        loadConfig({
          ...environment.env,
          HISTORY_FROM: 'beginning',
          PORT: '0',
          OPS_PORT: '0',
          CONSTITUENTS_REFRESH_MS: '200',
          LOG_LEVEL: 'warn',
          GATEWAY_DESKS: JSON.stringify([{ desk: 'dash', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
        }),
        createMemoryLogger('warn').logger,
      );
      const running = gateway;
      try {
        await waitFor(() => running.hub.latest(INDEX), { timeoutMs: 45_000, description: 'a first level' });
      } catch (error) {
        throw new Error(`${(error as Error).message}\ncalculator:\n${calculator.output().slice(-3000)}`);
      }

      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // The dashboard runs under its own Content-Security-Policy: a blocked script, style or
      // connection would show here.
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${running.port}/dashboard#apiKey=${KEY}&index=${INDEX}`);
      await page.waitForSelector('#status[data-state="live"]', { timeout: 15_000 });
      await page.waitForSelector('#constituents tbody tr', { timeout: 15_000 });
      const attribute = (selector: string, name: string) =>
        page.$eval(selector, (element, n) => element.getAttribute(n) ?? '', name);
      const before = {
        sequence: Number(await attribute('#level', 'data-sequence')),
        points: Number(await attribute('#chart', 'data-points')),
        constituents: Number(await attribute('#constituents', 'data-sequence')),
        text: await page.textContent('#level'),
      };
      expect(before.sequence).toBeGreaterThan(0);
      expect(before.points).toBeGreaterThan(0);
      // lightweight-charts drew into canvases.
      expect(await page.$$eval('#chart canvas', (canvases) => canvases.length)).toBeGreaterThan(0);

      await produce(environment, second);
      // Polled with $eval (a function call in the page), not waitForFunction: that evaluates a
      // string, which the dashboard's Content-Security-Policy (no 'unsafe-eval') refuses, as it should.
      const above = async (selector: string, name: string, floor: number, timeoutMs: number) =>
        waitFor(async () => Number(await attribute(selector, name)) > floor, {
          timeoutMs,
          intervalMs: 100,
          description: `${selector} ${name} above ${floor}`,
        });
      await above('#level', 'data-sequence', before.sequence + 100, 45_000);
      await above('#constituents', 'data-sequence', before.constituents, 15_000);
      // Value and sequence in one read: the feed is still flowing, and two reads could straddle
      // an update (the value of one level with the sequence of the next).
      const shownLevel = await page.$eval('#level', (element) => ({
        value: element.getAttribute('data-value') ?? '',
        sequence: Number(element.getAttribute('data-sequence')),
      }));
      const after = {
        points: Number(await attribute('#chart', 'data-points')),
        text: await page.textContent('#level'),
        ...shownLevel,
      };
      expect(after.points).toBeGreaterThan(before.points);
      expect(after.text).not.toBe(before.text);
      // The page shows what the gateway holds: the level it shows is one the calculator published.
      const shown = running.hub.history.day(INDEX)?.points.find((p) => p.sequence === after.sequence);
      expect(shown?.level).toBe(after.value);
      const rows = await page.$$eval('#constituents tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      expect(rows.length).toBeGreaterThan(5);
      // Weights (in %) add up to 100, to display precision.
      const weightSum = rows.reduce((sum, cells) => sum + Number(cells[4]), 0);
      expect(Math.abs(weightSum - 100)).toBeLessThan(0.01 * rows.length);
      // The previous close served and shown is the one the offline replay's close record of that
      // date carries: the previous official close (on day 1 the base value on the referenceDate).
      const offline: OfficialClose[] = [];
      await replayDataset(datasetDir, { onLevel: () => {}, onClose: (close) => offline.push(close) });
      expect(offline.filter((c) => c.indexId === INDEX).every((c) => c.prevClose !== null)).toBe(true);
      const response = await fetch(`http://127.0.0.1:${running.port}/v1/indices/${INDEX}`, {
        headers: { 'x-api-key': KEY },
      });
      const { latest } = (await response.json()) as {
        latest: { prevClose: string | null; change: string | null; level: string; eventTime: number };
      };
      const date = new Date(latest.eventTime + 8 * 3_600_000).toISOString().slice(0, 10);
      const close = offline.find((c) => c.indexId === INDEX && c.tradingDate === date)!;
      expect(new Dec(latest.prevClose!).eq(close.prevClose!)).toBe(true);
      expect(new Dec(latest.change!).eq(new Dec(latest.level).minus(close.prevClose!))).toBe(true);
      await waitFor(
        async () => (await page.textContent('#prev-close')) === formatFixed(new Dec(close.prevClose!), 4),
        {
          timeoutMs: 15_000,
          description: 'the dashboard showing the previous close',
        },
      );
      expect(await page.textContent('#change')).not.toBe('–');
      expect(pageErrors).toEqual([]);
      calculator.child.kill('SIGTERM');
      await calculator.exited;
    } finally {
      await browser.close();
    }
  }, 120_000);
});
