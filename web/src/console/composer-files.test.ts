import { describe, expect, it } from 'vitest';
import { PendingFiles } from './composer-files';

const limits = { max_bytes: 100, max_files: 2, types: ['image/png', 'application/pdf'] };
const file = (name: string, size = 10, type = 'image/png') => ({ name, size, type });
const view = (id: string) => ({ id, name: id, content_type: 'image/png', size: 10 });

describe('PendingFiles', () => {
  it('refuses before upload what the limits forbid and starts the rest', () => {
    const files = new PendingFiles();
    const started = files.add([file('a.png'), file('big.png', 500), file('x.exe', 10, 'application/x-msdownload'), file('b.pdf', 10, 'application/pdf'), file('c.png')], limits);
    expect(started.map((s) => s.chip.name)).toEqual(['a.png', 'b.pdf']);
    expect(files.refused).toEqual([
      { name: 'big.png', refusal: 'file_too_large' },
      { name: 'x.exe', refusal: 'file_type_refused' },
      { name: 'c.png', refusal: 'too_many_files' },
    ]);
    expect(files.uploading()).toBe(true);
  });

  it('sends only uploaded files; a server refusal frees its place; remove and clear', () => {
    const files = new PendingFiles();
    const [a, b] = files.add([file('a.png'), file('b.png')], limits).map((s) => s.chip);
    files.done(a.key, view('u-a'));
    files.failed(b.key, { code: 'file_type_refused', details: {} });
    expect(files.uploading()).toBe(false);
    expect(files.ready().map((u) => u.id)).toEqual(['u-a']);
    expect(files.add([file('c.png')], limits)).toHaveLength(1); // the failed one does not count
    files.remove(a.key);
    expect(files.ready()).toEqual([]);
    files.clear();
    expect(files.chips).toEqual([]);
    expect(files.refused).toEqual([]);
  });
});
