// Lint: typescript-eslint's recommended rules, plus the layering rules: src/core never imports vscode, and
// the activation shell imports other layers' modules for their types only.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-harness/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'core, shared and webview code never import vscode.' }] }],
    },
  },
  {
    // The activation shell is its own bundle: a value imported from the host's or core's modules would be
    // bundled twice (esbuild.mjs checks the bundles too).
    files: ['src/extension.ts', 'src/shell/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{
        group: ['**/host/**', '**/core/**', '**/shared/**', '**/webview/**'],
        allowTypeImports: true,
        message: 'the activation shell imports host, core and shared modules for their types only.',
      }] }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/**/*.mjs'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
