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
  },
  {
    // report/ renders the result model and the lifecycle's domain; where the lifecycle is stored is kube/'s.
    files: ['src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)kube/',
              message: 'report/ imports no kube/: take the domain types from lifecycle/ or the result model'
            }
          ]
        }
      ]
    }
  }
)
