// Launches the system's Chromium (Debian package `chromium`, installed by .ci/run) through
// playwright-core, which downloads no browser of its own. A missing browser is an error, never a
// skip: the dashboard test must fail where Chromium was not installed.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export class ChromiumMissingError extends Error {
  constructor(readonly tried: readonly string[]) {
    super(
      `no Chromium found (tried ${tried.join(', ')}); install it with \`apt-get install chromium\` ` +
        '(.ci/run does) or set CHROMIUM_PATH',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Returns the Chromium executable: CHROMIUM_PATH, else the first system install found. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const tried = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CANDIDATES;
  const found = tried.find((path) => existsSync(path));
  if (found === undefined) throw new ChromiumMissingError(tried);
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start; /dev/shm may be small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}
