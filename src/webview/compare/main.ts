// Entry of the Compare Models webview bundle (media/compare.js).
import { CompareApp, type CompareVsCodeApi } from './compareApp';

declare function acquireVsCodeApi(): CompareVsCodeApi;

const root = document.getElementById('compare-app');
if (root) new CompareApp(root, acquireVsCodeApi()).start();
