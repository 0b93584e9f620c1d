import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayDataset } from '@indexflow/dataset-files';
import { Dec, formatFixed, type OfficialClose } from '@indexflow/index-engine';
import { DEFAULT_CALENDAR, tradingDateOf } from '@indexflow/market-calendar';
import { waitFor } from '@indexflow/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadConfig,
  type RunningGateway,
  sha256Hex,
  startGateway,
} from '../../services/gateway/src/index.js';
import { launchChromium } from '../../services/gateway/src/testing/chromium.js';
import { type DashboardPage, openDashboard } from '../../services/gateway/src/testing/dashboard-page.js';
import { createMemoryLogger } from '../../services/gateway/src/testing/memory-logger.js';
import { makeDataset, prepareEnvironment, produce } from './support/calculator-environment.js';
import { serviceEndpoints, trackedCalculators } from './support/calculator-process.js';

const start = trackedCalculators();
const INDEX = '995365.SSI';
const KEY = 'dashboard-key-5c8e21';
const STALE_MS = 5000;
/** Artifacts of the run (gitignored): what the desk saw in each state. */
const SCREENSHOTS = join(process.cwd(), 'test-output', 'dashboard');

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

/**
 * What the chart drew, read back from the page: its x-axis from the session's first segment to the
 * close (09:15–15:00, from the market calendar: the index is A-shares only), the 11:30–13:00 lunch
 * as a gap no line crosses, and the previous close as a price line.
 */
async function checkChart(
  page: DashboardPage['page'],
  eventTime: number,
  options: { wholeDay?: boolean } = {},
) {
  const date = tradingDateOf(eventTime, 'SH');
  const session = DEFAULT_CALENDAR.sessionOf(date, 'SH')!;
  const lunch = session.phases.find((p) => p.name === 'lunch')!;
  const read = () =>
    page.$eval('#chart', (chart) => ({
      ...(chart as unknown as { dataset: Record<string, string> }).dataset,
    }));
  await waitFor(async () => (await read()).sessionOpen === String(session.open), {
    timeoutMs: 15_000,
    description: `the chart of ${date}`,
  });
  const chart = await read();
  expect([Number(chart.axisFrom), Number(chart.axisTo)]).toEqual([session.open, session.close]);
  expect(JSON.parse(chart.gaps!)).toEqual([{ start: lunch.start, end: lunch.end }]);
  expect(chart.pointsInGaps).toBe('0');
  // A whole day's line is two runs, morning and afternoon; part of a day, one or two.
  if (options.wholeDay) expect(chart.runs).toBe('2');
  else expect(['1', '2']).toContain(chart.runs);
  const prevClose = (await page.textContent('#prev-close'))!;
  expect(Number(chart.prevCloseLine).toFixed(4)).toBe(prevClose);
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
      mkdirSync(SCREENSHOTS, { recursive: true });
      // The gateway's clock stands still unless the test moves it: level arrivals and the desk state
      // read it, so "fresh" and "stale" do not depend on how fast this machine runs.
      let wall = Date.now();
      gateway = await startGateway(
        loadConfig({
          ...environment.env,
          HISTORY_FROM: 'beginning',
          PORT: '0',
          OPS_PORT: '0',
          CONSTITUENTS_REFRESH_MS: '200',
          FEED_STALE_MS: String(STALE_MS),
          // The page reads every level (no conflation of a slow client), so its chart can be held
          // to the gateway's history point for point.
          SLOW_HIGH_WATER_BYTES: String(64 * 1024 * 1024),
          SLOW_MAX_BUFFERED_BYTES: String(128 * 1024 * 1024),
          LOG_LEVEL: 'warn',
          GATEWAY_DESKS: JSON.stringify([{ desk: 'dash', apiKeySha256: [sha256Hex(KEY)], indices: ['*'] }]),
        }),
        createMemoryLogger('warn').logger,
        { now: () => wall },
      );
      const running = gateway;
      try {
        await waitFor(() => running.hub.latest(INDEX), { timeoutMs: 45_000, description: 'a first level' });
      } catch (error) {
        throw new Error(`${(error as Error).message}\ncalculator:\n${calculator.output().slice(-3000)}`);
      }

      // The dashboard runs under its own Content-Security-Policy: a blocked script, style or
      // connection would show in `errors`.
      const {
        page,
        errors: pageErrors,
        wire,
        attribute,
      } = await openDashboard(browser, {
        port: running.port,
        key: KEY,
        index: INDEX,
      });
      await page.waitForSelector('#constituents tbody tr', { timeout: 15_000 });
      // Subscribed first: the page asks for the day's history only once the snapshot confirmed the
      // subscription, so no level published in between is lost.
      const snapshotAt = wire.indexOf('received snapshot');
      expect(snapshotAt, wire.join('\n')).toBeGreaterThan(wire.indexOf('sent subscribe'));
      expect(wire.indexOf(`GET /v1/indices/${INDEX}/history`)).toBeGreaterThan(snapshotAt);
      const badgeIs = async (badge: string) =>
        waitFor(async () => (await attribute('#market-state', 'data-state')) === badge, {
          timeoutMs: 15_000,
          intervalMs: 100,
          description: `the market-state badge "${badge}"`,
        });
      // The replayed day, part way through its afternoon: open, every level fresh on the still clock.
      await badgeIs('open');
      expect(await page.textContent('#market-state')).toMatch(/^open · /);
      await page.screenshot({ path: join(SCREENSHOTS, 'open.png') });
      await checkChart(page, running.hub.latest(INDEX)!.eventTime);
      const before = {
        sequence: Number(await attribute('#level', 'data-sequence')),
        points: Number(await attribute('#chart', 'data-points')),
        constituents: Number(await attribute('#constituents', 'data-sequence')),
        text: await page.textContent('#level'),
        sessionOpen: Number(await attribute('#chart', 'data-session-open')),
      };
      expect(before.sequence).toBeGreaterThan(0);
      expect(before.points).toBeGreaterThan(0);
      // lightweight-charts drew into canvases.
      expect(await page.$$eval('#chart canvas', (canvases) => canvases.length)).toBeGreaterThan(0);

      // The feed stops (part 1 is all in): once no level arrives for longer than FEED_STALE_MS in
      // continuous trading, the badge leaves green. Each poll moves the clock on, so a late level of
      // part 1 only postpones it.
      await waitFor(
        async () => {
          wall += STALE_MS + 1000;
          return (await attribute('#market-state', 'data-state')) === 'stale';
        },
        { timeoutMs: 30_000, intervalMs: 1000, description: 'the badge turning stale' },
      );
      expect(await page.textContent('#market-state')).toBe('stale feed');
      expect(await attribute('#market-state', 'title')).toMatch(/^no level from the feed for \d+ s$/);
      await page.screenshot({ path: join(SCREENSHOTS, 'stale.png') });

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
      // The chart holds one trading day: more points on the same day, or the next day's session.
      const sessionOpen = Number(await attribute('#chart', 'data-session-open'));
      if (sessionOpen === before.sessionOpen) expect(after.points).toBeGreaterThan(before.points);
      else expect(sessionOpen).toBeGreaterThan(before.sessionOpen);
      expect(after.text).not.toBe(before.text);
      // The page shows what the gateway holds: the level it shows is one the calculator published.
      // (Either replayed day: the page may still be on the first when the gateway holds the second.)
      const history = running.hub.history;
      const shown = history
        .dates(INDEX)
        .flatMap((date) => history.day(INDEX, date)?.points ?? [])
        .find((p) => p.sequence === after.sequence);
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
      const why = `served ${JSON.stringify(latest)}, offline close ${JSON.stringify(close)}`;
      expect(new Dec(latest.prevClose!).eq(close.prevClose!), why).toBe(true);
      expect(new Dec(latest.change!).eq(new Dec(latest.level).minus(close.prevClose!)), why).toBe(true);
      // The previous close, the change and the level they go with in one read: the page may roll
      // over to the next day between reads, and a change is only comparable with the previous close
      // of the day the page shows (which may be behind or ahead of the REST read above).
      let quote = { prevClose: '', change: '', sequence: 0 };
      let shownClose: OfficialClose | undefined;
      await waitFor(
        async () => {
          quote = await page.$eval('body', (body) => ({
            prevClose: body.querySelector('#prev-close')?.textContent ?? '',
            change: body.querySelector('#change')?.textContent ?? '',
            sequence: Number(body.querySelector('#level')?.getAttribute('data-sequence') ?? 0),
          }));
          const shownDate = history
            .dates(INDEX)
            .find((d) => history.day(INDEX, d)?.points.some((p) => p.sequence === quote.sequence));
          shownClose = offline.find((c) => c.indexId === INDEX && c.tradingDate === shownDate);
          return (
            shownClose !== undefined && quote.prevClose === formatFixed(new Dec(shownClose.prevClose!), 4)
          );
        },
        {
          timeoutMs: 15_000,
          description: 'the dashboard showing the previous close of the day it shows',
        },
      );
      // "+c (+p%)": the % is the change over the previous close, in percent (not 100× that).
      const changeText = /^([+-]?[\d.]+) \(([+-]?[\d.]+)%\)$/.exec(quote.change.trim());
      expect(changeText, 'the change and % shown').not.toBeNull();
      const [changeShown, percentShown] = [new Dec(changeText![1]!), new Dec(changeText![2]!)];
      const percentOfChange = changeShown.div(shownClose!.prevClose!).times(100);
      expect(
        percentShown.minus(percentOfChange).abs().lte('0.006'),
        `shown ${changeText![0]} over the previous close ${shownClose!.prevClose}`,
      ).toBe(true);
      // The second day's official close at 15:00: closed, and it stays closed on a silent feed.
      await badgeIs('closed');
      wall += 10 * STALE_MS;
      const sessionResponse = await fetch(`http://127.0.0.1:${running.port}/v1/indices/${INDEX}/session`, {
        headers: { 'x-api-key': KEY },
      });
      const served = (await sessionResponse.json()) as { state: { badge: string; label: string } };
      expect(served.state).toMatchObject({ badge: 'closed', label: 'closed' });
      const final = running.hub.latest(INDEX)!;
      // The last level is the closing auction's print, stamped at the close.
      expect(final.eventTime).toBe(DEFAULT_CALENDAR.closeInstant(tradingDateOf(final.eventTime, 'SH'), 'SH'));
      await page.screenshot({ path: join(SCREENSHOTS, 'closed.png') });
      await checkChart(page, final.eventTime, { wholeDay: true });
      // No gap across the rollover to the second day: once the page shows the last level, its
      // chart holds one point per second of that day that the gateway's history holds, though the
      // page loaded the day while the replay streamed. It kept its one subscription throughout.
      await waitFor(async () => Number(await attribute('#level', 'data-sequence')) === final.sequence, {
        timeoutMs: 15_000,
        description: `the dashboard showing level #${final.sequence}`,
      });
      const finalDay = running.hub.history.day(INDEX, tradingDateOf(final.eventTime, 'SH'), 1000)!;
      expect(finalDay.truncated).toBe(false);
      expect(Number(await attribute('#chart', 'data-points'))).toBe(finalDay.points.length);
      expect(wire.filter((line) => line === 'sent subscribe')).toHaveLength(1);
      expect(wire.filter((line) => line === `GET /v1/indices/${INDEX}/history`).length).toBeGreaterThan(1);
      expect(pageErrors).toEqual([]);
      calculator.child.kill('SIGTERM');
      await calculator.exited;
    } finally {
      await browser.close();
    }
  }, 120_000);
});
