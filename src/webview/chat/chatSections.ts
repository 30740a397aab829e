// The sections the chat's title bar opens above the conversation (history, system prompt, routing): which are open
// is kept in the page's saved state; an opened section takes the focus, and Escape in one closes it.
import type { ChatPanelSection, WebviewUiState } from '../../protocols/chat';

const panelKeys = { history: 'historyOpen', system: 'systemPromptOpen', routing: 'routingOpen' } as const satisfies Record<ChatPanelSection, keyof WebviewUiState>;

export interface SectionState {
  get(): WebviewUiState;
  save(change: Partial<WebviewUiState>): void;
}

export class ChatSections {
  constructor(
    private readonly sections: ReadonlyMap<ChatPanelSection, HTMLElement>,
    private readonly state: SectionState,
    private readonly focusInput: () => void,
  ) {
    for (const [panel, element] of sections) {
      element.addEventListener('keydown', (event) => {
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        this.close(panel);
      });
    }
    this.apply();
  }

  toggle(panel: ChatPanelSection): void {
    const open = !this.state.get()[panelKeys[panel]];
    if (!open) return this.close(panel);
    this.set(panel, true);
    // The opened section takes the focus, so a keyboard user lands in it.
    const element = this.sections.get(panel)!;
    (element.querySelector<HTMLElement>('.history-open, textarea, select, input') ?? element.querySelector<HTMLElement>('[data-action="close-panel"]'))?.focus();
    element.scrollIntoView({ block: 'nearest' });
  }

  /** Closes a section (a name from the page, checked) and gives the focus back to the input. */
  close(name: string | undefined): void {
    const panel = [...this.sections.keys()].find((section) => section === name);
    if (panel) this.set(panel, false);
    this.focusInput();
  }

  private set(panel: ChatPanelSection, open: boolean): void {
    this.state.save({ [panelKeys[panel]]: open });
    this.apply();
  }

  private apply(): void {
    const ui = this.state.get();
    for (const [panel, element] of this.sections) element.hidden = !ui[panelKeys[panel]];
  }
}
