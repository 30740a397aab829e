// Entry of the chat webview bundle (media/chat.js).
import { AnswerChangesView } from './answerChangesView';
import { ChatApp } from './chatApp';
import { getVsCodeApi } from './vscodeApi';

// User Timing marks where an open's time goes (`npm run bench:startup` reads them): the script running, `ready`
// sent, the extension's first snapshot arriving and the frame that shows it.
performance.mark('openrouter:script');
window.addEventListener('message', function firstSnapshot(event: MessageEvent<{ type?: string }>) {
  if (event.data?.type !== 'snapshot') return;
  window.removeEventListener('message', firstSnapshot);
  performance.mark('openrouter:snapshot');
  requestAnimationFrame(() => performance.mark('openrouter:drawn'));
});
const root = document.getElementById('app');
if (root) {
  const vscode = getVsCodeApi();
  new ChatApp(root, vscode).start();
  new AnswerChangesView(root, vscode).start();
}
performance.mark('openrouter:ready-sent');
