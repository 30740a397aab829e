import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Folder boundaries: the features sit on the services and never import each other; the services never import a
// feature. (The composition root, src/features.ts, wires them; src/commands/internalCommands.ts reads state for tests.)
const FEATURES = ['chat', 'compare', 'completions', 'lm', 'credits', 'measure'];
// The extension side never imports the panels' browser code (src/webview/); both sides share only the type-only
// protocols (src/protocols/), which the webview imports as well.
const BROWSER_CODE = { group: ['**/webview/**', '**/webview'], message: 'src/webview/ is the panels\' browser code: the extension side shares only the types in src/protocols/ with it.', allowTypeImports: false };
const importsOf = (folders) => folders.flatMap((folder) => [`../${folder}/*`, `../../${folder}/*`, `../${folder}`, `../../${folder}`]);
const boundary = (files, forbidden, message, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: importsOf(forbidden), message, allowTypeImports: false }, BROWSER_CODE] }] },
});
// What may not exist at run time in a protocol (or in the chat's domain model, which the webview imports too): only types.
const TYPES_ONLY = [
  'FunctionDeclaration', 'ClassDeclaration', 'VariableDeclaration', 'TSEnumDeclaration', 'ExpressionStatement',
  "ImportDeclaration[importKind!='type']", "ExportAllDeclaration[exportKind!='type']", "ExportNamedDeclaration[exportKind!='type'][source]", 'ExportDefaultDeclaration',
].map((selector) => ({ selector, message: 'A protocol is types only: both sides import it with `import type`, so nothing here may exist at run time.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'media/**', '.cache/**', 'node_modules/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Small files: a file that grows past 400 lines holds more than one idea; split it by idea, not by line.
  { files: ['**/*.ts', '**/*.mjs'], rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] } },
  {
    // The harness scripts (.mjs) are plain JavaScript checked by tsconfig.harness.json; lint them without type information.
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', performance: 'readonly', document: 'readonly', window: 'readonly', HTMLElement: 'readonly', HTMLIFrameElement: 'readonly', requestAnimationFrame: 'readonly', getComputedStyle: 'readonly', AbortController: 'readonly', fetch: 'readonly', structuredClone: 'readonly', MutationObserver: 'readonly', MessageChannel: 'readonly', Event: 'readonly', Document: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/openrouter/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/openrouter/ is pure Node: no vscode imports.' }] }],
    },
  },
  ...FEATURES.map((feature) =>
    boundary([`src/${feature}/**/*.ts`], FEATURES.filter((other) => other !== feature), `src/${feature}/ is a feature: it uses the services below it, not another feature.`),
  ),
  boundary(
    ['src/{agent,answer,apiKey,balance,commands,config,edits,exclusion,host,log,models,routing,storage,usage,util}/**/*.ts'],
    FEATURES,
    'A service never imports a feature: move what both need down into a service.',
    ['src/commands/internalCommands.ts'],
  ),
  {
    // The storage seam is plain TypeScript over a FileStore: unit tests point it at a temporary folder or a store in memory.
    files: ['src/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/storage/ is the storage seam: no vscode imports.' }] }],
    },
  },
  {
    files: ['src/extension.ts', 'src/features.ts', 'src/{openrouter,protocols}/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [BROWSER_CODE] }] },
  },
  {
    files: ['src/protocols/**/*.ts', 'src/chat/conversation.ts', 'src/answer/errorNoticeTypes.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TYPES_ONLY] },
  },
  {
    // The answer pipeline serves every feature and is unit-tested under plain Node.
    files: ['src/answer/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/answer/ runs under plain Node: no vscode imports.' }],
          patterns: [{ group: ['../chat/*', '../compare/*', '../lm/*'], message: 'The pipeline serves the features; it does not import them.' }],
        },
      ],
    },
  },
);
