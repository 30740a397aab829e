// Entry of the chat webview bundle (media/chat.js).
import { AnswerChangesView } from './answerChangesView';
import { ChatApp } from './chatApp';
import { getVsCodeApi } from './vscodeApi';

const root = document.getElementById('app');
if (root) {
  const vscode = getVsCodeApi();
  new ChatApp(root, vscode).start();
  new AnswerChangesView(root, vscode).start();
}
