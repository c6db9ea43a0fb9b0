// Lint rules for all TypeScript in the repo: typescript-eslint's recommended set plus a few that catch real bugs.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'eqeqeq': ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Product code only: tests and bench spread small, fixed lists.
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: {
      // `push(...xs)`, `Math.max(...xs)`: one argument per item, a RangeError once a list has ~100,000 (issue 12).
      'no-restricted-syntax': ['error',
        { selector: 'CallExpression > SpreadElement', message: 'Spreading into call arguments overflows the stack on long lists; loop, or use appendAll (util/appendAll.ts).' },
        { selector: 'NewExpression > SpreadElement', message: 'Spreading into constructor arguments overflows the stack on long lists; loop instead.' },
      ],
    },
  },
);
