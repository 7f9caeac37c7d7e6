import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// The layers of src-main, lowest first: a folder may import its own layer and those below it, never one above,
// so data knows nothing of features, the explainer nothing of the services and the services nothing of the
// transports that serve them. api/ (the contract) sits just below the services, which implement it.
const layers = [
  { folders: ['runtime', 'stats'], why: 'shared utilities depend on no layer of the product' },
  { folders: ['data'], why: 'the client base knows nothing of what is computed from it' },
  { folders: ['features'], why: 'features are computed from data, and know no model' },
  { folders: ['model'], why: 'the model scores feature vectors, and knows no explanation or service' },
  {
    folders: ['explain', 'demo'],
    why: 'explanations and demo bases are built on the model, below the services',
  },
  { folders: ['api'], why: 'the contract declares what the services implement, and calls none of them' },
  {
    folders: ['services'],
    why: 'the services know no transport; transports call them through the contract',
  },
  { folders: ['cli', 'http', 'electron'], why: 'transports are the top layer' },
];

function layerRules() {
  return layers.flatMap((layer, rank) => {
    const above = layers.slice(rank + 1).flatMap((higher) => higher.folders);
    if (above.length === 0) return [];
    return layer.folders.flatMap((folder) =>
      // One block per folder depth, because an import path is relative to the importing file.
      ['', '*/'].map((nesting) => {
        const up = nesting === '' ? '../' : '../../';
        return {
          files: [`src-main/${folder}/${nesting}*.ts`],
          rules: {
            'no-restricted-imports': [
              'error',
              {
                patterns: above.map((higher) => ({
                  group: [`${up}${higher}/**`],
                  message: `src-main/${folder} may not import src-main/${higher}: ${layer.why}.`,
                })),
              },
            ],
          },
        };
      }),
    );
  });
}

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
  ...layerRules(),
  {
    files: ['src-renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/*', '!**/src-main/api'],
              message:
                'the renderer sees only the API contract (src-main/api): whatever it needs from the main process comes through it.',
            },
            {
              group: ['**/src-main/api/**'],
              allowTypeImports: true,
              message:
                'the renderer imports the contract with `import type` only, so no main-process code is bundled into the page.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
