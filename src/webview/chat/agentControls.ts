// The composer's Ask/Agent switch and this chat's Agent options: the tools the model may use (each can be turned
// off; Restricted Mode says why some cannot be used), auto-apply for edits, and the task's cost cap. The extension
// validates and stores every choice with the chat; this shows them and sends changes.
import { formatUsd } from '../../util/usd';
import { h } from '../shared/dom';
import type { AgentChoices, AgentPanelState, AgentToolEntry, ChatMode, ExtensionMessage, WebviewMessage } from '../../protocols/chat';
import type { VsCodeApi } from './vscodeApi';

const sourceLabels: Record<AgentToolEntry['source'], string> = { openrouter: 'OpenRouter', extension: 'extension', mcp: 'MCP' };

export class AgentControls {
  private readonly mode = h('select', { id: 'agent-mode', class: 'agent-mode', 'aria-label': 'Mode: Ask answers, Agent uses tools' }, h('option', { value: 'ask' }, 'Ask'), h('option', { value: 'agent' }, 'Agent'));
  private readonly optionsButton = h('button', { type: 'button', id: 'agent-options-toggle', class: 'secondary agent-options-toggle', 'aria-expanded': 'false', 'aria-controls': 'agent-options', hidden: true }, 'Tools…');
  private readonly panel = h('section', { id: 'agent-options', class: 'panel agent-options', 'aria-label': 'Agent options for this chat', hidden: true });
  private readonly restricted = h('p', { class: 'notice agent-restricted', role: 'note', hidden: true });
  private readonly toolList = h('ul', { class: 'agent-tools', 'aria-label': 'Tools the model may use' });
  private readonly autoApply = h('input', { type: 'checkbox', id: 'agent-auto-apply' });
  private readonly costCap = h('input', { type: 'number', id: 'agent-cost-cap', min: '0', step: '0.01', inputmode: 'decimal', 'aria-label': 'Cost cap per task for this chat, USD (empty: the setting)' });
  private readonly limitsLine = h('p', { class: 'muted agent-limits' });
  private readonly problems = h('div', { class: 'notice error', role: 'alert', hidden: true });
  private state: AgentPanelState | undefined;
  private choices: AgentChoices = {};
  private current: ChatMode = 'ask';

  constructor(
    slots: { tools: HTMLElement; chips: HTMLElement },
    private readonly vscode: VsCodeApi,
  ) {
    slots.tools.prepend(this.mode, this.optionsButton);
    this.panel.append(
      this.restricted,
      h('h2', { class: 'agent-options-heading' }, 'Tools the model may use'),
      this.toolList,
      h('label', { class: 'agent-row' }, this.autoApply, ' Apply edits without review in this chat (commands are always confirmed)'),
      h('label', { class: 'agent-row' }, h('span', {}, 'Cost cap per task (USD)'), this.costCap),
      this.limitsLine,
      this.problems,
    );
    slots.chips.before(this.panel);
    this.mode.addEventListener('change', () => this.send({ type: 'setAgent', mode: this.mode.value === 'agent' ? 'agent' : 'ask' }));
    this.optionsButton.addEventListener('click', () => this.showPanel(this.panel.hidden));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      this.showPanel(false);
      this.optionsButton.focus();
    });
    this.toolList.addEventListener('change', () => this.send({ type: 'setAgent', choices: { disabledTools: this.disabledTools() } }));
    this.autoApply.addEventListener('change', () => this.send({ type: 'setAgent', choices: { autoApply: this.autoApply.checked } }));
    this.costCap.addEventListener('change', () => {
      const text = this.costCap.value.trim();
      // Empty goes back to the setting (null); anything else is checked by the extension.
      this.send({ type: 'setAgent', choices: { maxTaskCostUsd: text === '' ? null : Number(text) } });
    });
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => this.onMessage(event.data));
  }

  private send(message: Extract<WebviewMessage, { type: 'setAgent' }>): void {
    this.vscode.postMessage(message);
  }

  private onMessage(message: ExtensionMessage): void {
    if (message.type === 'snapshot') {
      const { conversation, agent } = message.snapshot;
      this.update(conversation.mode ?? 'ask', conversation.agent ?? {}, agent, []);
    } else if (message.type === 'agentState') {
      this.update(message.mode, message.choices, message.state ?? this.state, message.problems);
    }
  }

  private update(mode: ChatMode, choices: AgentChoices, state: AgentPanelState | undefined, problems: string[]): void {
    this.state = state;
    this.current = mode;
    this.choices = choices;
    this.mode.hidden = !state;
    this.mode.value = mode;
    document.body.dataset.mode = mode;
    this.optionsButton.hidden = mode !== 'agent' || !state;
    if (mode !== 'agent') this.showPanel(false);
    this.problems.hidden = problems.length === 0;
    this.problems.textContent = problems.join(' ');
    this.render();
  }

  private render(): void {
    const state = this.state;
    if (!state) return;
    this.restricted.hidden = state.trusted;
    this.restricted.textContent = 'Restricted Mode: this workspace is not trusted, so tools that write files or run commands are off. Trust the workspace to use them.';
    const off = new Set(this.choices.disabledTools ?? []);
    const focused = document.activeElement instanceof HTMLInputElement ? document.activeElement.dataset.tool : undefined;
    this.toolList.replaceChildren(...(state.tools.length ? state.tools.map((tool) => this.toolItem(tool, off)) : [h('li', { class: 'muted' }, 'No tools are available.')]));
    if (focused) this.toolList.querySelector<HTMLInputElement>(`input[data-tool="${CSS.escape(focused)}"]`)?.focus();
    const usable = state.tools.filter((tool) => !tool.unavailable && !off.has(tool.name)).length;
    this.optionsButton.textContent = `Tools (${usable})…`;
    this.autoApply.checked = this.choices.autoApply === true;
    if (document.activeElement !== this.costCap) this.costCap.value = this.choices.maxTaskCostUsd === undefined ? '' : String(this.choices.maxTaskCostUsd);
    this.costCap.placeholder = `Settings: ${formatUsd(state.defaultMaxTaskCostUsd)}`;
    this.limitsLine.textContent = `A task stops before it could cost more than ${formatUsd(this.choices.maxTaskCostUsd ?? state.defaultMaxTaskCostUsd)}, and after ${state.maxSteps} steps.`;
  }

  private toolItem(tool: AgentToolEntry, off: Set<string>): HTMLElement {
    const kind = [sourceLabels[tool.source], tool.writes ? 'writes files' : '', tool.runsCommands ? 'runs commands' : ''].filter(Boolean).join(' · ');
    const box = h('input', { type: 'checkbox', 'data-tool': tool.name, 'aria-describedby': `agent-tool-${tool.name}` });
    box.checked = !off.has(tool.name) && !tool.unavailable;
    box.disabled = tool.unavailable !== undefined;
    const item = h('li', { class: 'agent-tool', title: tool.unavailable ?? tool.description }, h('label', {}, box, ' ', h('span', { class: 'agent-tool-name' }, tool.name), ' ', h('span', { class: 'muted', id: `agent-tool-${tool.name}` }, kind)));
    return item;
  }

  /** The tools unchecked now, keeping those the user turned off that cannot be shown as on (Restricted Mode). */
  private disabledTools(): string[] {
    const off = new Set(this.choices.disabledTools ?? []);
    for (const box of this.toolList.querySelectorAll<HTMLInputElement>('input[data-tool]')) {
      if (box.disabled) continue;
      if (box.checked) off.delete(box.dataset.tool!);
      else off.add(box.dataset.tool!);
    }
    return [...off];
  }

  private showPanel(open: boolean): void {
    this.panel.hidden = !open || this.current !== 'agent';
    this.optionsButton.setAttribute('aria-expanded', String(!this.panel.hidden));
    if (!this.panel.hidden) this.panel.querySelector<HTMLElement>('input:not([disabled])')?.focus();
  }
}
