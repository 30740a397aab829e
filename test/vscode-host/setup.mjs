// `npm run setup` (and the first step of `npm test`): installs what the tests need and exits. The Debian
// packages that are missing (apt-get as root or with password-less sudo, or it stops with the command to run),
// then the VS Code test host (Node 24 + code-server) into ${XDG_CACHE_HOME:-~/.cache}/openrouter-vscode-test.
// With --system-suite only the Debian packages the system suite needs (`npm run test:system`: nginx, squid), no host.
// Usage: node test/vscode-host/setup.mjs [--purpose "npm test"] [--system-suite]
import { parseArgs } from 'node:util';
import { CODE_SERVER_VERSION, ensureHost, hostInstalled, NODE_VERSION } from './install.mjs';
import { ensureSystemPackages, MissingSystemPackages, packagesFor } from './systemPackages.mjs';

const { values: opts } = parseArgs({ options: { purpose: { type: 'string', default: 'npm run setup' }, 'system-suite': { type: 'boolean', default: false } } });
const say = (line) => console.log(`[setup] ${line}`);

try {
  if (opts['system-suite']) {
    await ensureSystemPackages(packagesFor({ system: true }), { purpose: opts.purpose, log: say });
  } else {
    // One check for everything, so a user without root gets one command; the build tools only when the host
    // still has to be built.
    // VSCODE_TEST_CHROMIUM names another browser instead of Debian's.
    const needed = packagesFor({ tests: true, host: !hostInstalled() }).filter((name) => !(name === 'chromium' && process.env.VSCODE_TEST_CHROMIUM));
    await ensureSystemPackages(needed, { purpose: opts.purpose, log: say });
    const host = await ensureHost({ log: (line) => say(`install: ${line}`) });
    say(`ready: the Debian packages, and code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} in ${host.dir}`);
  }
} catch (error) {
  if (error instanceof MissingSystemPackages) console.error(`\n${error.message}`);
  else console.error(`[setup] failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
