// Makes `import * as vscode from 'vscode'` load ./standIn.ts in unit tests (there is no `vscode` module
// outside the editor). Import this first in a test file, before anything that imports 'vscode'.
import Module from 'node:module';

const standInPath = require.resolve('./standIn');
const resolver = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? standInPath : original.call(this, request, ...rest);
};

export { standIn } from './standIn';
