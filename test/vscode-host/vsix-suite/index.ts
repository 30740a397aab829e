// Entry point of the suite that runs against the extension installed from the packaged VSIX.
import { runMochaSuite } from '../mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite({ dir: __dirname, name: 'vsix' });
}
