/**
 * Debian's Chromium driven by playwright-core, as the browser tests use it: a fresh profile, no
 * network features, and every console error and every request the page makes recorded.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LAZYMM_CHROMIUM ?? '/usr/bin/chromium';

/** The flags the tests run Chromium with (playwright passes --user-data-dir from the fresh profile). */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh --user-data-dir; throws a clear error when it is not installed. */
export async function startChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run \`npm run browser:setup\` (as root) first, or set LAZYMM_CHROMIUM`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that records console errors, uncaught exceptions and the URLs it requested. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

export async function openPage(b: Browser, file: string): Promise<WatchedPage> {
  const page = await b.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${path.resolve(file)}`);
  return { page, errors, requests };
}
