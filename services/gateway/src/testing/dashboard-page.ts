// Opens the gateway's dashboard in headless Chromium the way a desk does (key and index in the URL
// fragment) and records what a test checks afterwards: the page's errors, including Content-Security-
// Policy refusals, which Chromium reports on the console, and the order in which the page talked
// to the gateway.
import type { Browser, Page } from 'playwright-core';

export interface DashboardPage {
  readonly page: Page;
  /** Script errors and console errors (a refused script, style or connection shows here). */
  readonly errors: string[];
  /**
   * The page's exchanges in the order Chromium saw them: `sent <type>` and `received <type>` for
   * feed messages, `GET <path>` for REST requests (query cut).
   */
  readonly wire: string[];
  /** An attribute of the first element matching `selector` ('' when absent). */
  attribute(selector: string, name: string): Promise<string>;
}

export async function openDashboard(
  browser: Browser,
  options: { readonly port: number; readonly key: string; readonly index: string },
): Promise<DashboardPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const wire: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/') && url.pathname !== '/v1/ws') wire.push(`GET ${url.pathname}`);
  });
  page.on('websocket', (socket) => {
    const typeOf = (payload: string | Buffer) => (JSON.parse(String(payload)) as { type: string }).type;
    socket.on('framesent', (frame) => wire.push(`sent ${typeOf(frame.payload)}`));
    socket.on('framereceived', (frame) => wire.push(`received ${typeOf(frame.payload)}`));
  });
  await page.goto(`http://127.0.0.1:${options.port}/dashboard#apiKey=${options.key}&index=${options.index}`);
  await page.waitForSelector('#status[data-state="connected"]', { timeout: 15_000 });
  const attribute = (selector: string, name: string) =>
    page.$eval(selector, (element, n) => element.getAttribute(n) ?? '', name);
  return { page, errors, wire, attribute };
}
