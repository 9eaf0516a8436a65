import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Globals of plain Node scripts (*.js, *.mjs); TypeScript files get theirs from @types/node.
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'fetch'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/data/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], ignores: ['widget/stub.js'], languageOptions: { globals: nodeGlobals } },
  // The widget's queue stub runs in browsers, pasted into partner pages as it is.
  { files: ['widget/stub.js'], languageOptions: { globals: { window: 'readonly' } } },
  {
    // Tests read untyped JSON responses; `any` there keeps assertions short.
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
