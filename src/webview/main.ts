// Entry of the chat webview bundle (media/chat.js).
import { ChatApp } from './chatApp';
import { getVsCodeApi } from './vscodeApi';

const root = document.getElementById('app');
if (root) new ChatApp(root, getVsCodeApi()).start();
