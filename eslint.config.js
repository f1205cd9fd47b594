import tseslint from 'typescript-eslint';

// src/core is pure logic shared by the browser, the worker and Node: it may not reach
// React, the DOM or Node (excalidraw-style no-restricted-imports / no-restricted-globals).
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'buffer', 'stream', 'url', 'util', 'worker_threads', 'net', 'http', 'https', 'zlib'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'react', message: 'src/core must not import React.' },
          { name: 'react-dom', message: 'src/core must not import React.' },
          { name: 'zustand', message: 'src/core must not import UI state.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'src/core must not import Node built-ins.' })),
        ],
        patterns: [
          { group: ['node:*'], message: 'src/core must not import Node built-ins.' },
          { group: ['react/*', 'react-dom/*', '**/ui/**', '**/cli/**', '**/gpu/**', '**/worker/**'], message: 'src/core imports only src/core.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'src/core must not touch the DOM.' },
        { name: 'document', message: 'src/core must not touch the DOM.' },
        { name: 'navigator', message: 'src/core must not touch the DOM.' },
        { name: 'process', message: 'src/core must not use Node globals.' },
        { name: 'Buffer', message: 'src/core must not use Node globals.' },
        { name: 'require', message: 'src/core must not use Node globals.' },
      ],
    },
  },
);
