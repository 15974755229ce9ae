// Settings common to the three builds (loader, widget frame, console).
import type { UserConfig } from 'vite';

export const common: UserConfig = {
  clearScreen: false,
  logLevel: 'warn',
  build: {
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    emptyOutDir: false,
  },
};
