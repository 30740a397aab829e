// Entry of the chat webview bundle (media/chat.js).
import { AnswerChangesView } from './answerChangesView';
import { ChatApp } from './chatApp';
import { deliverFirstMessage } from '../shared/firstMessage';
import { getVsCodeApi } from './vscodeApi';

// User Timing marks where an open's time goes (`npm run bench:startup` reads them): the script running, `ready`
// sent, the first snapshot handled (the one sent with the page, or else the extension's reply) and the frame that shows it.
performance.mark('openrouter:script');
window.addEventListener('load', () => performance.mark('openrouter:load'), { once: true });
window.addEventListener('message', function firstSnapshot(event: MessageEvent<{ type?: string }>) {
  if (event.data?.type !== 'snapshot') return;
  window.removeEventListener('message', firstSnapshot);
  performance.mark('openrouter:snapshot');
  requestAnimationFrame(() => performance.mark('openrouter:drawn'));
});
// Which state the page shows: the one sent with it (possibly older, after Developer: Reload Webviews) until the
// extension posts one; the VS Code suite waits for that after a reload.
window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
  if (event.isTrusted && event.data?.type === 'snapshot') document.body.dataset.snapshot = 'posted';
});
const root = document.getElementById('app');
if (root) {
  const vscode = getVsCodeApi();
  new ChatApp(root, vscode).start();
  new AnswerChangesView(root, vscode).start();
  performance.mark('openrouter:ready-sent');
  // The state sent with the page: the input and the conversation are drawn now, not after `ready` and a reply.
  deliverFirstMessage();
}
