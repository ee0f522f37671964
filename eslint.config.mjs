import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'libs/proto/src/generated/**', '.nx/**', 'deploy/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { '@nx': nx },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `any` hides what a type could carry (Kysely<any>, row casts); frozen migrations may use it.
      '@typescript-eslint/no-explicit-any': 'error',
      // A folder is a room: services never import services; edge/ stays free of Nest and the
      // database; shared libraries never reach up into services or apps.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            {
              sourceTag: 'type:data',
              onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:contracts'],
            },
            {
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:contracts'],
            },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:contracts', 'type:runtime'],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks may reach into what they test; product files never match this (a
    // product file is not named *.spec.ts and does not live under test/).
    files: ['**/test/**/*.ts', 'e2e/**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/db/migrations.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web console (browser code): the Rules of Hooks and complete effect dependencies as
    // errors; the React Compiler's rules of the plugin's recommended set as warnings for now.
    files: ['console/src/**/*.ts', 'console/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...Object.fromEntries(
        Object.keys(reactHooks.configs.flat.recommended.rules).map((rule) => [rule, 'warn']),
      ),
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // about what the React Compiler can memoize; the console is not built with it
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['console/server/**/*.mjs', 'console/*.ts'],
    languageOptions: { globals: globals.node },
  },
);
