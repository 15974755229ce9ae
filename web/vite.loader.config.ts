// The embeddable loader: one IIFE file, dist/widget.js, no framework.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { common } from './vite.shared.ts';

export default defineConfig({
  ...common,
  publicDir: false,
  build: {
    ...common.build,
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    lib: {
      entry: fileURLToPath(new URL('./src/loader/widget.ts', import.meta.url)),
      name: 'FrontlineWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
    minify: true,
  },
});
