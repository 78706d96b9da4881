// ESLint flat config: typescript-eslint's recommended rules (the type-aware ones opt-in), React's hook
// rules for the editor, the layering rule, and eslint-config-prettier last so that formatting is
// Prettier's alone.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint.layers.mjs';

const TS = '**/*.{ts,tsx,mts,cts}';
// Tests and benchmarks read untyped JSON bodies and mock objects; there the assertion is the check.
const TESTS = ['**/*.{spec,itest}.{ts,tsx}', 'test/**', 'bench/**', 'ui/src/test/**', '**/__fixtures__/**'];

// Type-aware rules (unsafe `any`, floating and misused promises) on the product code, run by
// `npm run lint:types`: building the two TypeScript programs costs ~80 s of CPU on top of the ~20 s
// the other rules take, too slow for every CI run on 2 cores.
const typeAware = {
  files: [TS],
  ignores: TESTS,
  extends: [tseslint.configs.recommendedTypeCheckedOnly],
  languageOptions: {
    parserOptions: {
      // The nearest tsconfig per file: tsconfig.json for the server, ui/tsconfig.json for the editor.
      projectService: { allowDefaultProject: ['ui/vite.config.ts'] },
      tsconfigRootDir: import.meta.dirname,
    },
  },
  rules: {
    // React event handlers may be async (they catch and show their own errors); promises passed as
    // plain callback arguments are still checked.
    '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    // An async function without `await` is how the code meets a Promise-returning interface (an
    // engine, a store, an activity); it is not a bug.
    '@typescript-eslint/require-await': 'off',
  },
};

export default defineConfig([
  globalIgnores([
    'dist/**',
    'coverage/**',
    'test-artifacts/**',
    'scratch/**',
    '.data/**',
    'workflows/interpreter/__histories__/**',
    'bench/data/**',
    'bench/results/**',
    // Generated: the editor's API types and the Swagger plugin's DTO metadata.
    'ui/src/api/schema.d.ts',
    'apps/api/openapi-metadata.ts',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  { files: [TS], extends: [tseslint.configs.recommended] },
  ...(process.env.CAUCE_LINT_TYPES === '1' ? [typeAware] : []),
  {
    files: [TS],
    rules: {
      // `_name` marks a parameter a signature needs but the body does not (handlers, Nest hooks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    rules: {
      // Sanitizers and validators match control characters on purpose (that is their job).
      'no-control-regex': 'off',
      // A `let` that a closure reads before its one assignment (the launcher's supervised processes,
      // read by the shutdown handler) cannot be a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },

  // Where the code runs decides its globals (plain JS only: TypeScript checks names in .ts files).
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  { files: ['**/*.cjs', 'jest.config.js', 'test/faults/jest.config.js'], languageOptions: { sourceType: 'commonjs' } },
  { files: ['ui/src/**'], languageOptions: { globals: globals.browser } },
  { files: TESTS, languageOptions: { globals: { ...globals.node, ...globals.jest } } },

  // The editor: React's rules of hooks (the classic two; the React Compiler rules of v7 are not used).
  {
    files: ['ui/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  ...layerRules,
  prettier,
]);
