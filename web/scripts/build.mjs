// Builds the loader, the widget frame and the console into dist/, then checks their sizes.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { checkSizes } from './sizes.mjs';

const web = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

for (const name of ['frame', 'console', 'loader']) {
  console.log(`building ${name}…`);
  await build({ configFile: `${web}vite.${name}.config.ts`, mode: 'production' });
}

process.exitCode = checkSizes() ? 0 : 1;
