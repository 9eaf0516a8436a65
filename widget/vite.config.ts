import { defineConfig } from 'vite';

// Library mode: one ES module with everything the visitor needs up to booking (Preact, the SDK, the
// styles); what comes after booking (confirmation, calendar file) is a content-hashed chunk it imports then.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'widget.js' },
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    // Vite keeps whitespace and /* @__PURE__ */ marks in ES libraries (for re-bundling); these files are
    // served to browsers as they are, so minify fully and keep only licence comments.
    // The entry may export what the after-booking chunk shares with it, so the shared code stays in widget.js (no third file).
    rolldownOptions: { preserveEntrySignatures: 'allow-extension', output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false }, chunkFileNames: 'chunk-[hash].js' } },
  },
});
