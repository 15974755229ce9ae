// The operator console: dist/console/index.html, assets under /console/assets/.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { common } from './vite.shared.ts';

export default defineConfig({
  ...common,
  root: fileURLToPath(new URL('./src/console', import.meta.url)),
  base: '/console/',
  publicDir: false,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    ...common.build,
    outDir: fileURLToPath(new URL('./dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
  },
});
