// The chat UI inside the widget iframe: dist/widget/frame.html, assets under /widget/assets/.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { common } from './vite.shared.ts';

export default defineConfig({
  ...common,
  root: fileURLToPath(new URL('./src/widget', import.meta.url)),
  base: '/widget/',
  publicDir: false,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    ...common.build,
    outDir: fileURLToPath(new URL('./dist/widget', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    rolldownOptions: {
      input: fileURLToPath(new URL('./src/widget/frame.html', import.meta.url)),
    },
  },
});
