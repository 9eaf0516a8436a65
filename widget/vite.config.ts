import { defineConfig } from 'vite';

// Library mode: one ES module, everything (Preact, the SDK, the styles) bundled in, no chunks.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'widget.js' },
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    // Vite keeps whitespace in ES libraries (for re-bundling); this file is served to browsers as is, so minify fully.
    rolldownOptions: { output: { codeSplitting: false, minify: true } },
  },
});
