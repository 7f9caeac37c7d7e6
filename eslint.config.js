import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.scratch-*/**', '.cache/**', 'node_modules', 'dist', 'release', 'coverage', '.cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['bin/**', 'scripts/**', 'src-main/**', 'tests/**', '*.config.*'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Connections are made in src-main/data/clientBase.ts only, which gives every file the encryption key.
    files: ['src-main/**', 'scripts/**'],
    ignores: ['src-main/data/clientBase.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'better-sqlite3',
              message:
                'open SQLite files with openClientBase or openDatabaseFile (src-main/data/clientBase.ts)',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  prettier,
);
