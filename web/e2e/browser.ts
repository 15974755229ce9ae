/** Debian's Chromium driven by playwright-core (no browser download exists here). */
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects a page's console errors and uncaught exceptions, to print when a step fails. */
export function watchErrors(page: Page, label: string, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(`[${label}] console: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`[${label}] exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // Aborted is not failed: a reload or a navigation the test makes cancels what the page had
    // in flight, as does the page itself dropping a request it no longer needs. What the
    // server refused is still caught below (`response`, status 400 and up).
    if (why === 'net::ERR_ABORTED') return;
    into.push(`[${label}] request failed: ${r.method()} ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) into.push(`[${label}] HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
}
