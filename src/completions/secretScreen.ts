// The completion window checked for secrets before it is sent (no vscode import: the engine's PromptScreen).
import { cutAroundSecrets, describeFindings, findSecrets } from '../exclusion/secretScan';
import type { PromptScreen } from './completionEngine';

/** Cuts the window short of every secret in it; skips the request when one is on the cursor's line. */
export const screenForSecrets: PromptScreen = async (prefix, suffix) => {
  const findings = await findSecrets(prefix + suffix);
  if (findings.length === 0) return { prefix, suffix };
  const cut = cutAroundSecrets(prefix, suffix, findings);
  const account = describeFindings(findings);
  if (!cut) return { skip: `${account} on the cursor's line` };
  return { ...cut, removed: account };
};
