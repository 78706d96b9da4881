import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import * as path from 'node:path';

// The editor is built into dist/ui, which the API serves at `/`.
export default defineConfig({
  root: path.resolve(__dirname),
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, '../dist/ui'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod's sources carry `@__PURE__` comments Rollup cannot place; it says so twice per file on
      // every build, burying what matters (they are harmless: Rollup drops the comment). Kept for
      // LOG_LEVEL=debug.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules') && process.env.LOG_LEVEL !== 'debug') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' }, fs: { allow: [path.resolve(__dirname, '..')] } },
});
