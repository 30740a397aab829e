// What the chat panel may send, field by field: checked before the chat handles a message (src/util/webviewChannel.ts).
import type { MessageShapes } from '../util/webviewMessages';
import type { WebviewMessage } from '../protocols/chat';

export const chatMessageShapes: MessageShapes<WebviewMessage> = {
  ready: {},
  send: { text: 'string' },
  stop: {},
  attach: { trigger: ['at', 'button'] },
  removeAttachment: { id: 'string' },
  addImage: { name: 'string', mimeType: 'string', dataUrl: 'string' },
  addPdf: { name: 'string', dataUrl: 'string' },
  listProviders: {},
  draftChanged: { text: 'string' },
  retry: { turnId: 'string' },
  newChat: {},
  openChat: { chatId: 'string' },
  deleteChat: { chatId: 'string' },
  selectModel: { modelId: 'string' },
  setSystemPrompt: { text: 'string' },
  // Validated field by field by the session (parseRoutingOverrides).
  setRouting: { routing: 'unknown' },
  copyCode: { code: 'string' },
  copyAnswer: { turnId: 'string' },
  regenerate: { turnId: 'string', pickModel: 'boolean?' },
  editAndResend: { turnId: 'string', text: 'string' },
  insertCode: { code: 'string' },
  applyCode: { turnId: 'string', index: 'number', code: 'string' },
  undoAnswerChanges: { turnId: 'string' },
  openLink: { href: 'string' },
  runAction: { action: ['setApiKey', 'selectModel', 'openCredits', 'openSettings', 'openProxySettings', 'showLog'] },
  // The choices are validated field by field by the session (applyAgentChoices).
  setAgent: { mode: { optional: ['ask', 'agent'] }, choices: 'unknown' },
  confirmTool: { turnId: 'string', callId: 'string', accept: 'boolean' },
};
