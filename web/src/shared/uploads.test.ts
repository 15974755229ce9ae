import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import type { UploadLimits } from './api-types';
import { checkFile, fileType, isImage, sizeParts, uploadFile } from './uploads';

const limits: UploadLimits = { max_bytes: 1000, max_files: 2, types: ['image/png', 'application/pdf'] };
const f = (name: string, size: number, type = '') => ({ name, size, type });

describe('checkFile', () => {
  it('lets an allowed file through', () => {
    expect(checkFile(f('a.png', 10, 'image/png'), limits)).toBeNull();
  });
  it('refuses a file over max_bytes', () => {
    expect(checkFile(f('a.png', 1001, 'image/png'), limits)).toBe('file_too_large');
    expect(checkFile(f('a.png', 1000, 'image/png'), limits)).toBeNull();
  });
  it('refuses a type not in the list, guessing from the name when the browser gives none', () => {
    expect(checkFile(f('a.exe', 10, 'application/x-msdownload'), limits)).toBe('file_type_refused');
    expect(checkFile(f('photo.JPG', 10), limits)).toBe('file_type_refused');
    expect(checkFile(f('scan.pdf', 10), limits)).toBeNull();
  });
  it('leaves a type it cannot tell to the server', () => {
    expect(checkFile(f('notes', 10), limits)).toBeNull();
  });
  it('refuses one file too many', () => {
    expect(checkFile(f('a.png', 10, 'image/png'), limits, 1)).toBeNull();
    expect(checkFile(f('a.png', 10, 'image/png'), limits, 2)).toBe('too_many_files');
  });
  it('takes wildcard types and ignores MIME parameters', () => {
    const wide = { ...limits, types: ['image/*', 'text/plain'] };
    expect(checkFile(f('a.webp', 10, 'image/webp'), wide)).toBeNull();
    expect(checkFile(f('a.txt', 10, 'text/plain; charset=utf-8'), wide)).toBeNull();
    expect(fileType(f('x', 1, 'Text/Plain; charset=utf-8'))).toBe('text/plain');
  });
  it('checks nothing before the limits are known', () => {
    expect(checkFile(f('a.exe', 10 ** 9), null)).toBeNull();
  });
});

describe('sizes and previews', () => {
  it('words sizes in bytes, KB, MB', () => {
    expect(sizeParts(512)).toEqual({ amount: 512, unit: 'b' });
    expect(sizeParts(1536)).toEqual({ amount: 1.5, unit: 'kb' });
    expect(sizeParts(25 * 1024 * 1024)).toEqual({ amount: 25, unit: 'mb' });
  });
  it('previews the four image types only', () => {
    expect(isImage('image/png')).toBe(true);
    expect(isImage('image/svg+xml')).toBe(false);
    expect(isImage('application/pdf')).toBe(false);
  });
});

describe('uploadFile', () => {
  it('posts the raw file with its name in the query and the bearer token', async () => {
    let seen: { url: string; init: RequestInit } | null = null;
    const file = new File(['hello'], 'счёт 1.pdf', { type: 'application/pdf' });
    const view = await uploadFile('https://h', '/widget/v1/uploads', file, 'tok', async (url, init) => {
      seen = { url: String(url), init: init! };
      return new Response(JSON.stringify({ id: 'u1', name: 'счёт 1.pdf', content_type: 'application/pdf', size: 5 }), { status: 201 });
    });
    expect(view.id).toBe('u1');
    expect(seen!.url).toBe(`https://h/widget/v1/uploads?name=${encodeURIComponent('счёт 1.pdf')}`);
    expect(seen!.init.method).toBe('POST');
    expect(seen!.init.body).toBe(file);
    expect((seen!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('throws the server refusal with its code and details', async () => {
    const file = new File(['x'], 'a.bin');
    const err = (await uploadFile('', '/api/v1/uploads', file, undefined, async () =>
      new Response(JSON.stringify({ code: 'file_type_refused', message: 'no', details: { detected: 'application/x-elf' } }), { status: 415 }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('file_type_refused');
    expect(err.details.detected).toBe('application/x-elf');
  });

  it('maps a 413 without a JSON body (a proxy said it) to an error', async () => {
    const err = (await uploadFile('', '/api/v1/uploads', new File(['x'], 'a'), undefined, async () =>
      new Response('too big', { status: 413 }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(413);
    expect(err.code).toBe('file_too_large');
  });

  it('tells a lost connection as code network', async () => {
    const err = (await uploadFile('', '/api/v1/uploads', new File(['x'], 'a'), undefined, async () => {
      throw new TypeError('failed');
    }).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('network');
  });
});
