// The floor `npm run bench:startup` measures the extension's panels against: the least a webview costs in this
// VS Code. A webview view (as the chat) and an editor-area webview panel (as Compare Models and the Usage view),
// each an empty page with one input and no script, opened from the command palette as the extension's are.
const vscode = require('vscode');

const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>Floor</title></head>
<body data-ready="true"><textarea id="input" aria-label="Message"></textarea></body></html>`;

function activate(context) {
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('webviewFloor.view', {
      resolveWebviewView(view) {
        view.webview.html = page;
      },
    }),
    vscode.commands.registerCommand('webviewFloor.openView', () => vscode.commands.executeCommand('webviewFloor.view.focus')),
    vscode.commands.registerCommand('webviewFloor.openPanel', () => {
      const panel = vscode.window.createWebviewPanel('webviewFloor.panel', 'Floor', vscode.ViewColumn.Active, {});
      panel.webview.html = page;
    }),
    // Compare Models asks for its models first when opened from the palette; the benchmark names two instead.
    vscode.commands.registerCommand('webviewFloor.openCompare', () => vscode.commands.executeCommand('openrouter.compareModels', { models: ['openai/gpt-4o', 'mistralai/mistral-nemo'] })),
  );
}

module.exports = { activate, deactivate() {} };
