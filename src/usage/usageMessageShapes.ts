// What the Usage view may send: checked before the view handles a message.
import type { MessageShapes } from '../util/webviewMessages';
import type { UsageFromView } from '../protocols/usage';

export const usageMessageShapes: MessageShapes<UsageFromView> = { ready: {}, refresh: {}, exportCsv: {}, openSettings: {} };
