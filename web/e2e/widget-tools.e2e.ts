/**
 * The visitor's conversation tools in a real browser against a real server: an operator in
 * the console and a visitor on the demo site.
 *
 * The visitor writes; typing shows both ways; the operator opens the dialog and the visitor's
 * message is marked read; the visitor attaches a PNG and the operator sees it previewed; the
 * operator attaches an image and the visitor sees it previewed, and a PDF comes as a download
 * with its name and size; a file whose content is not what its name says is refused with the
 * server's reason; the visitor leaves an e-mail and a phone; the operator closes the dialog
 * and the visitor rates it 5 with a comment, which the operator's API then shows.
 * Screenshots go to ../artifacts/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, watchErrors } from './browser';
import { adminSession, chatFrame, reportFailure, shot, shotsDir, signIn, WAIT } from './helpers';
import { startServer, type RunningServer } from './server';

const VISITOR_TEXT = 'Здравствуйте! Пришлю фото кухни, посмотрите?';
const OPERATOR_TYPING = 'Да, конечно';
const PHOTO_TEXT = 'Вот так сейчас выглядит кухня';
const COMMENT = 'Быстро ответили и всё объяснили';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let operator: Page;
let visitor: Page;
let files: string;
let dialogId = '';
const errors: string[] = [];
/** Set when the console has no file input yet and the operator's image went over REST. */
let operatorUploadOverRest = false;


// ---- a tiny PNG, made here (no image files in the repository) ----------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A width × height RGB PNG painted by `paint(x, y)`. */
function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < width; x++) rows.push(...paint(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A kitchen-ish picture: worktop, cabinets with handles, a window.
const kitchen = png(160, 110, (x, y) => {
  if (y > 62) return x % 40 < 2 ? [120, 90, 60] : y > 66 && y < 70 && x % 40 > 17 && x % 40 < 23 ? [60, 60, 60] : [196, 160, 112];
  if (y > 56) return [90, 90, 96];
  if (x > 96 && x < 144 && y > 10 && y < 46) return x === 120 || y === 28 ? [240, 240, 240] : [150, 200, 235];
  return [236, 232, 222];
});
// The operator's answer: a colour sample card.
const swatch = png(120, 80, (x, y) => (y > 60 ? [250, 250, 250] : x < 40 ? [46, 94, 78] : x < 80 ? [214, 196, 160] : [180, 70, 50]));

// ---- helpers ---------------------------------------------------------------------------


/** Whether an <img> has really decoded a picture (not a broken image). */
async function decoded(img: Locator): Promise<boolean> {
  return img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0);
}

describe('widget conversation tools: files, typing, read marks, rating, contact details', () => {
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    files = mkdtempSync(join(tmpdir(), 'frontline-files-'));
    writeFileSync(join(files, 'kitchen.png'), kitchen);
    writeFileSync(join(files, 'swatch.png'), swatch);
    // Named like a picture, but a program inside: the server sniffs the content and refuses it
    // (text would pass: text/plain is an allowed type).
    writeFileSync(join(files, 'not-a-picture.png'), Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8, 0x00]));
    server = await startServer();
    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ locale: 'ru-RU', viewport: { width: 1366, height: 820 } }));
    [operator, visitor] = await Promise.all(contexts.map((c) => c.newPage()));
    watchErrors(operator, 'operator', errors);
    watchErrors(visitor, 'visitor', errors);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(reportFailure(errors, server)));

  afterAll(async () => {
    if (errors.length) console.log(`browser notes (errors, failed requests, HTTP >= 400):\n${errors.join('\n')}`);
    if (operatorUploadOverRest) console.log('note: the console has no [data-testid="composer-file"] yet; the operator\'s image was sent over REST');
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('the operator signs in and the visitor writes', async () => {
    await signIn(operator, server);

    await visitor.goto(server.demoUrl);
    await visitor.getByTestId('frontline-launcher').click();
    const frame = chatFrame(visitor);
    const input = frame.getByTestId('composer-input');
    await input.waitFor({ timeout: WAIT });
    await input.fill(VISITOR_TEXT);
    await input.press('Enter');
    await frame.locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: VISITOR_TEXT }).waitFor({ timeout: WAIT });
    // Nobody has read it yet.
    await expect(frame.getByTestId('read-mark').count()).resolves.toBe(0);

    const { api } = await adminSession(server);
    const list = await api('GET', '/api/v1/dialogs?status=all');
    dialogId = list.items[0].id;
    expect(dialogId).toBeTruthy();
  });

  it('the operator opens the dialog and the visitor sees his message marked read', async () => {
    await operator.getByTestId('dialog-row').filter({ hasText: VISITOR_TEXT }).click();
    await operator.getByTestId('timeline').getByText(VISITOR_TEXT).waitFor({ timeout: WAIT });
    const mark = chatFrame(visitor).locator('[data-testid="message"][data-author="visitor"]', { hasText: VISITOR_TEXT }).getByTestId('read-mark');
    await mark.waitFor({ timeout: WAIT });
    await expect(mark.textContent()).resolves.toBe('Прочитано');
  });

  it('typing shows both ways', async () => {
    // The visitor types (no send): the console shows it.
    const visitorInput = chatFrame(visitor).getByTestId('composer-input');
    await visitorInput.pressSequentially('Ещё хотел спросить', { delay: 30 });
    await operator.getByText(/печатает/).first().waitFor({ timeout: WAIT });

    // The operator types: the widget shows "… печатает…" with his name.
    const operatorName = ((await operator.getByTestId('operator-name').textContent()) ?? '').trim();
    await operator.getByTestId('composer-input').pressSequentially(OPERATOR_TYPING, { delay: 30 });
    const typing = chatFrame(visitor).getByTestId('typing-indicator');
    await typing.waitFor({ timeout: WAIT });
    await expect(typing.textContent()).resolves.toContain(operatorName ? `${operatorName} печатает…` : 'печатает…');
    await shot(visitor, 'widget-typing.png');
    // It goes away by itself (5 s after the last sign) when nothing more comes.
    await typing.waitFor({ state: 'detached', timeout: WAIT });
    await visitorInput.fill('');
    await operator.getByTestId('composer-input').fill('');
  });

  it('the visitor attaches a PNG and the operator sees it previewed', async () => {
    const frame = chatFrame(visitor);
    await frame.getByTestId('widget-file').setInputFiles(join(files, 'kitchen.png'));
    await frame.locator('[data-testid="composer-file"][data-state="ready"]').waitFor({ timeout: WAIT });
    await frame.getByTestId('composer-input').fill(PHOTO_TEXT);
    await frame.getByTestId('composer-send').click();

    const mine = frame.locator('[data-testid="message"][data-author="visitor"][data-state="sent"]', { hasText: PHOTO_TEXT });
    await mine.waitFor({ timeout: WAIT });
    const preview = mine.locator('[data-testid="attachment-image"][data-loaded="true"] img');
    await preview.waitFor({ timeout: WAIT });
    await expect.poll(() => decoded(preview), { timeout: WAIT }).toBe(true);
    // The picture came with the token in a header: no token in the image's address.
    await expect(preview.getAttribute('src')).resolves.toMatch(/^blob:/);

    const timeline = operator.getByTestId('timeline');
    const theirs = timeline.locator('[data-testid="message"][data-author="visitor"]', { hasText: PHOTO_TEXT });
    await theirs.waitFor({ timeout: WAIT });
    const seen = theirs.locator('img');
    await seen.first().waitFor({ timeout: WAIT });
    await expect.poll(() => decoded(seen.first()), { timeout: WAIT }).toBe(true);
  });

  it('the operator attaches an image and the visitor sees it previewed', async () => {
    const consoleFile = operator.locator('[data-testid="composer-file"]');
    if ((await consoleFile.count()) > 0) {
      await consoleFile.setInputFiles(join(files, 'swatch.png'));
      // Sent when the upload is done and the operator presses Send.
      await expect.poll(() => operator.getByTestId('composer-send').isEnabled(), { timeout: WAIT }).toBe(true);
      await operator.getByTestId('composer-send').click();
    } else {
      operatorUploadOverRest = true;
      const { api } = await adminSession(server);
      const upload = await api('POST', '/api/v1/uploads?name=swatch.png', undefined, swatch);
      await api('POST', `/api/v1/dialogs/${dialogId}/messages`, { client_id: `e2e-${Date.now()}`, body: '', attachments: [upload.id] });
    }
    const frame = chatFrame(visitor);
    const preview = frame.locator('[data-testid="message"][data-author="operator"] [data-testid="attachment-image"][data-loaded="true"] img');
    await preview.waitFor({ timeout: WAIT });
    await expect.poll(() => decoded(preview), { timeout: WAIT }).toBe(true);
    await expect(preview.getAttribute('src')).resolves.toMatch(/^blob:/);
    await shot(visitor, 'widget-attachment.png');
  });

  it('a file that is not a picture comes as a download with its name and size', async () => {
    const { api } = await adminSession(server);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const upload = await api('POST', `/api/v1/uploads?name=${encodeURIComponent('Смета кухни.pdf')}`, undefined, pdf);
    expect(upload.content_type).toBe('application/pdf');
    await api('POST', `/api/v1/dialogs/${dialogId}/messages`, { client_id: `e2e-pdf-${Date.now()}`, body: 'Смета во вложении', attachments: [upload.id] });
    const link = chatFrame(visitor).locator('[data-testid="message"][data-author="operator"]', { hasText: 'Смета во вложении' }).getByTestId('attachment-file');
    await link.waitFor({ timeout: WAIT });
    await expect(link.textContent()).resolves.toBe(`Смета кухни.pdf${pdf.length}\u00a0Б`);
    const [download] = await Promise.all([visitor.waitForEvent('download', { timeout: WAIT }), link.click()]);
    expect(download.suggestedFilename()).toBe('Смета кухни.pdf');
    expect(download.url()).toMatch(/^blob:/);
  });

  it('a file that is not what its name says is refused with the reason', async () => {
    const frame = chatFrame(visitor);
    await frame.getByTestId('widget-file').setInputFiles(join(files, 'not-a-picture.png'));
    const refused = frame.locator('[data-testid="composer-file"][data-state="refused"]');
    await refused.waitFor({ timeout: WAIT });
    await expect(refused.getByTestId('file-refusal').textContent()).resolves.toContain('такие файлы не принимаются');
    await shot(visitor, 'widget-file-refused.png');
    // Nothing to send; the visitor takes it away.
    await expect(frame.getByTestId('composer-send').isDisabled()).resolves.toBe(true);
    await refused.getByRole('button').click();
    await refused.waitFor({ state: 'detached', timeout: WAIT });
  });

  it('the visitor leaves an e-mail and a phone, and the operator sees them', async () => {
    const frame = chatFrame(visitor);
    await frame.getByTestId('set-name').click();
    await frame.getByTestId('name-input').fill('Иван');
    await frame.getByTestId('contact-email').fill('ivan@example.com');
    await frame.getByTestId('contact-phone').fill('+7 900 123-45-67');
    await frame.getByTestId('name-save').click();
    await expect.poll(() => frame.getByTestId('visitor-identity').textContent(), { timeout: WAIT }).toContain('Иван');
    const { api } = await adminSession(server);
    const card = await api('GET', `/api/v1/dialogs/${dialogId}/visitor`);
    expect(card).toMatchObject({ name: 'Иван', email: 'ivan@example.com' });
    expect(String(card.phone).replace(/\D/g, '')).toBe('79001234567');
  });

  it('the operator closes the dialog and the visitor rates it 5 with a comment', async () => {
    await operator.getByTestId('close-dialog').click();
    await operator.locator('[data-testid="dialog-status"][data-status="closed"]').waitFor({ timeout: WAIT });

    const frame = chatFrame(visitor);
    const form = frame.getByTestId('rating-form');
    await form.waitFor({ timeout: WAIT });
    await expect(form.textContent()).resolves.toContain('Оцените, пожалуйста, разговор');
    await form.locator('[data-testid="rating-star"][data-score="5"]').click();
    await form.getByTestId('rating-comment').fill(COMMENT);
    await shot(visitor, 'widget-rating.png');
    await form.getByTestId('rating-send').click();
    const thanks = frame.getByTestId('rating-thanks');
    await thanks.waitFor({ timeout: WAIT });
    await expect(thanks.textContent()).resolves.toContain('Спасибо за оценку!');
    await shot(visitor, 'widget-rating-thanks.png');

    const { api } = await adminSession(server);
    const dialog = await api('GET', `/api/v1/dialogs/${dialogId}`);
    expect(dialog.close_reason).toBe('operator');
    expect(dialog.rating).toMatchObject({ score: 5, comment: COMMENT });
  });

  it('after a reload the rated dialog does not ask again', async () => {
    await visitor.reload();
    await visitor.getByTestId('frontline-launcher').waitFor({ timeout: WAIT });
    if ((await visitor.locator('[data-frontline-widget]').getAttribute('data-open')) !== 'true') await visitor.getByTestId('frontline-launcher').click();
    const frame = chatFrame(visitor);
    await frame.getByTestId('dialog-closed-note').waitFor({ timeout: WAIT });
    await expect(frame.getByTestId('rating-form').count()).resolves.toBe(0);
    await frame.getByTestId('rating-thanks').waitFor({ timeout: WAIT });
  });

  it('no page logged an unexpected error', () => {
    // Expected: the console asks /me before signing in (401); the refused upload (415).
    const expected = [/HTTP 401: GET \S+\/api\/v1\/me$/, /HTTP 415: POST \S+\/widget\/v1\/uploads/, /status of 4(01|15)/];
    const real = errors.filter((e) => !e.includes('favicon') && !expected.some((re) => re.test(e)));
    expect(real).toEqual([]);
  });
});
