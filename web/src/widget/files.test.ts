import { describe, expect, it } from 'vitest';
import { Drafts, refusalText, sizeText, typeNames } from './files';
import { makeT } from './i18n';

const ru = makeT('ru');
const en = makeT('en');
const limits = { max_bytes: 10 * 1024 * 1024, max_files: 5, types: ['image/png', 'image/jpeg', 'application/pdf'] };
const otherwise = (code: string) => `[${code}]`;

describe('file words', () => {
  it('says sizes in the visitor\'s language', () => {
    expect(sizeText(ru, 'ru', 500)).toBe('500\u00a0Б');
    expect(sizeText(ru, 'ru', 1536)).toBe('1,5\u00a0КБ');
    expect(sizeText(en, 'en', 1536)).toBe('1.5\u00a0KB');
    expect(sizeText(en, 'en', 10 * 1024 * 1024)).toBe('10\u00a0MB');
  });

  it('names types the way people know them', () => {
    expect(typeNames(['image/png', 'image/jpeg', 'application/pdf', 'text/plain'])).toBe('PNG, JPEG, PDF, TXT');
    expect(typeNames(['image/*', 'image/jpeg', 'image/jpeg'])).toBe('image, JPEG');
    expect(
      typeNames(['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip']),
    ).toBe('DOCX, XLSX, ZIP');
  });

  it('explains a refusal before upload with the limit', () => {
    expect(refusalText(ru, 'ru', 'plan.png', { code: 'file_too_large', details: {} }, limits, otherwise)).toBe('«plan.png» не отправить: файл больше 10\u00a0МБ.');
    expect(refusalText(ru, 'ru', 'a.exe', { code: 'file_type_refused', details: {} }, limits, otherwise)).toBe(
      '«a.exe» не отправить: такие файлы не принимаются. Можно: PNG, JPEG, PDF.',
    );
    expect(refusalText(en, 'en', 'f.png', { code: 'too_many_files', details: {} }, limits, otherwise)).toBe('Files in one message: at most 5.');
    expect(refusalText(en, 'en', 'e.png', { code: 'empty_file', details: {} }, limits, otherwise)).toBe('"e.png" is an empty file.');
  });

  it('explains the server\'s refusal with the details it gives', () => {
    expect(refusalText(en, 'en', 'fake.png', { code: 'file_type_refused', details: { detected: 'text/plain', allowed: ['image/gif'] } }, limits, otherwise)).toBe(
      '"fake.png" cannot be sent: files of this type are not accepted. Allowed: GIF.',
    );
    expect(refusalText(en, 'en', 'big.pdf', { code: 'file_too_large', details: { max_bytes: 2048 } }, null, otherwise)).toBe('"big.pdf" cannot be sent: the file is over 2\u00a0KB.');
    expect(refusalText(en, 'en', 'big.pdf', { code: 'file_too_large', details: {} }, null, otherwise)).toBe('"big.pdf" was not uploaded: The file is too large.');
    expect(refusalText(en, 'en', 'x.pdf', { code: 'network', details: {} }, null, otherwise)).toBe('"x.pdf" was not uploaded: [network]');
  });
});

describe('Drafts', () => {
  it('follows each picked file from upload to ready or refused', () => {
    const d = new Drafts();
    const a = d.add({ name: 'a.png', size: 1 }, null);
    const b = d.add({ name: 'b.png', size: 2 }, null);
    d.add({ name: 'c.exe', size: 3 }, { code: 'file_type_refused', details: {} });
    expect(d.counted()).toBe(2);
    expect(d.uploading()).toBe(true);
    d.uploaded(a.key, { id: 'u1', name: 'a.png', content_type: 'image/png', size: 1 });
    d.refused(b.key, { code: 'file_too_large', details: {} });
    expect(d.uploading()).toBe(false);
    expect(d.ready().map((u) => u.id)).toEqual(['u1']);
    expect(d.counted()).toBe(1);
    expect(d.remove(a.key)).toBe(true);
    expect(d.remove(a.key)).toBe(false);
    d.restore([{ id: 'u2', name: 'z.pdf', content_type: 'application/pdf', size: 9 }]);
    expect(d.ready().map((u) => u.id)).toEqual(['u2']);
    d.clear();
    expect(d.list()).toEqual([]);
  });
});
