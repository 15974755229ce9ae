/**
 * What every browser test uses: screenshots, the chat frame inside the demo page, and the
 * admin's REST session for setting up and checking beside the browsers.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { webDir, type RunningServer } from './server';

/** How long a browser step may wait for the page. */
export const WAIT = 20_000;

export const shotsDir = resolve(webDir, '../artifacts/screenshots');

/** A screenshot into ../artifacts/screenshots/ (made on first use). */
export function shot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(shotsDir, { recursive: true });
  return page.screenshot({ path: resolve(shotsDir, name), animations: 'disabled' });
}

/** The widget's chat frame on a page that embeds it. */
export const chatFrame = (page: Page): FrameLocator => page.frameLocator('[data-testid="frontline-frame"]');

/** A REST call as the admin: JSON in and out, or raw bytes in (`raw`, for uploads). */
export type AdminApi = (method: string, path: string, body?: unknown, raw?: Buffer) => Promise<any>;

/** Signs the demo admin in over REST; `me` is the login answer. */
export async function adminSession(server: RunningServer): Promise<{ api: AdminApi; me: any }> {
  const login = await fetch(`${server.origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
  });
  expect(login.status).toBe(200);
  const me = await login.json();
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const api: AdminApi = async (method, path, body, raw) => {
    const r = await fetch(`${server.origin}${path}`, {
      method,
      headers: { 'content-type': raw ? 'application/octet-stream' : 'application/json', cookie },
      body: raw ? new Uint8Array(raw) : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { api, me };
}

/** What a failed test prints: the browsers' errors so far and the server's last output. */
export function reportFailure(errors: string[], server: RunningServer | undefined): () => void {
  return () => {
    console.error(`--- browser errors so far ---\n${errors.join('\n') || '(none)'}`);
    console.error(`--- server output ---\n${server?.output().slice(-4000) ?? ''}`);
  };
}

/** Opens the console and signs in; done when the dialog list shows. */
export async function signIn(page: Page, server: RunningServer, email = server.adminEmail, password = server.adminPassword): Promise<void> {
  await page.goto(server.consoleUrl);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dialog-list').waitFor({ timeout: WAIT });
}

