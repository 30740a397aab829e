/**
 * The vendor id of `contributes.languageModelChatProviders` (package.json uses the same string). Not
 * `openrouter`: VS Code 1.139 ships Copilot Chat built in (extensions/copilot), which contributes that
 * vendor for its own OpenRouter support, and the editor refuses a vendor registered twice.
 */
export const LM_VENDOR = 'openrouter-community';
