import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import local from './scripts/lint/no-import-cycle.mjs'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cluster/**', 'build/**', 'demo-out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    // No import cycles in the sources (a test adds one to a copy of the tree and sees this fire).
    files: ['src/**/*.ts'],
    plugins: { local },
    rules: { 'local/no-import-cycle': 'error' }
  }
)
