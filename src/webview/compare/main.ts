// Entry of the Compare Models webview bundle (media/compare.js).
import { deliverFirstMessage } from '../shared/firstMessage';
import { CompareApp, type CompareVsCodeApi } from './compareApp';

declare function acquireVsCodeApi(): CompareVsCodeApi;

const root = document.getElementById('compare-app');
if (root) {
  new CompareApp(root, acquireVsCodeApi()).start();
  // The snapshot sent with the page: the models and the prompt are drawn now, not after `ready` and a reply.
  deliverFirstMessage();
}
