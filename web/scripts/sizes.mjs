// Gzipped size budget of what a visitor's browser downloads: the loader (≤ 5 KB) and the
// chat UI in the iframe (all of its JS and CSS, ≤ 40 KB). Run alone or from build.mjs.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const KB = 1024;

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const fmt = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

export function checkSizes() {
  const loaderFile = join(dist, 'widget.js');
  const assets = join(dist, 'widget', 'assets');
  if (!existsSync(loaderFile) || !existsSync(assets)) {
    console.error('sizes: dist/widget.js or dist/widget/assets is missing; run the build first');
    return false;
  }
  const budgets = [
    { name: 'loader   dist/widget.js', files: [loaderFile], limit: 5 * KB },
    {
      name: 'chat UI  dist/widget/assets/*.{js,css}',
      files: readdirSync(assets)
        .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
        .map((f) => join(assets, f)),
      limit: 40 * KB,
    },
  ];
  let ok = true;
  for (const b of budgets) {
    const size = b.files.reduce((sum, f) => sum + gz(f), 0);
    const pass = size <= b.limit;
    ok &&= pass;
    console.log(`${pass ? 'ok  ' : 'OVER'} ${b.name}: ${fmt(size)} gzipped (limit ${fmt(b.limit)})`);
  }
  return ok;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = checkSizes() ? 0 : 1;
}
