// The integration suite's entry point: VS Code's extension host calls run() and exits with its result.
import { runMochaSuite } from '../vscode-host/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite({ dir: __dirname, name: 'integration' });
}
