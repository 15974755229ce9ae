import { describe, expect, it } from 'vitest';
import { fileShow, refusalText, sizeText, uploadProblemText } from './files';
import { makeT } from './i18n';

const ru = makeT('ru');
const en = makeT('en');
const limits = { max_bytes: 10 * 1024 * 1024, max_files: 5, types: ['image/png'] };

describe('file words', () => {
  it('words sizes in both languages', () => {
    expect(sizeText(ru, 'ru', 1536)).toBe('1,5 КБ');
    expect(sizeText(en, 'en', 1536)).toBe('1.5 KB');
    expect(sizeText(en, 'en', 300)).toBe('300 B');
  });
  it('says why a file was not attached before upload', () => {
    expect(refusalText(ru, 'ru', 'file_too_large', 'скан.pdf', limits)).toBe('«скан.pdf» не прикреплён: файл больше 10 МБ.');
    expect(refusalText(en, 'en', 'too_many_files', 'a.png', limits)).toContain('at most 5 files');
    expect(refusalText(en, 'en', 'file_type_refused', 'a.exe', limits)).toContain('not accepted');
  });
  it('words the server refusal with its limit', () => {
    expect(uploadProblemText(ru, 'ru', 'a.bin', 'file_too_large', { max_bytes: 1024 }, 'x')).toBe('«a.bin» не загружен: файл больше 1 КБ.');
    expect(uploadProblemText(en, 'en', 'a.bin', 'file_type_refused', { detected: 'application/x-elf' }, 'x')).toBe('“a.bin” was not uploaded: files of this type are not accepted.');
    expect(uploadProblemText(en, 'en', 'a.bin', 'network', {}, 'No connection.')).toBe('“a.bin” was not uploaded: No connection.');
  });
  it('previews images, plays Telegram\'s voice (Ogg) and MP4 video, offers the rest for download', () => {
    expect(fileShow('image/jpeg')).toBe('image');
    expect(fileShow('audio/ogg')).toBe('audio');
    expect(fileShow('Audio/Ogg; codecs=opus')).toBe('audio');
    expect(fileShow('video/mp4')).toBe('video');
    // Only what the server accepts is played; anything else is a file to download.
    expect(fileShow('audio/mpeg')).toBe('file');
    expect(fileShow('video/webm')).toBe('file');
    expect(fileShow('application/pdf')).toBe('file');
    expect(fileShow('')).toBe('file');
  });
});
