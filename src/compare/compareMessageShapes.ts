// What the Compare Models panel may send, field by field: checked before the panel handles a message.
import type { MessageShapes } from '../util/webviewMessages';
import type { CompareWebviewMessage } from '../protocols/compare';

export const compareMessageShapes: MessageShapes<CompareWebviewMessage> = {
  ready: {},
  promptChanged: { prompt: 'string' },
  send: { prompt: 'string' },
  stop: { column: 'number' },
  stopAll: {},
  copy: { column: 'number' },
  copyCode: { code: 'string' },
  continueInChat: { column: 'number' },
  openLink: { href: 'string' },
  chooseModels: {},
  toggleFavouriteSet: {},
};
