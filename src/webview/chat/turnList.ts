// The conversation's turns on the page. A reopened chat shows its last turns at once (reopenPlan.ts) and builds the
// earlier ones after, newest first, a batch per short task, each above the ones already there (Chromium's scroll
// anchoring keeps what is on screen in place). Each batch is announced with a `turnsbuilt` event on the
// conversation, so what decorates turns (answerChangesView.ts) reaches the late ones too.
import type { ChatTurn } from '../../protocols/chat';
import { earlierBatches, estimateTurnHeight, firstTurnShownAtOnce } from './reopenPlan';
import type { SlicedWork } from '../shared/slicedWork';
import { createTurnView, type TurnContext, type TurnView } from './turnView';

/** Turns built per task: a few milliseconds of DOM work. */
const batchSize = 8;
/** Earlier turns are built after everything the user waits for (rendering what is on screen). */
const buildPriority = 1e9;

export const turnsBuiltEvent = 'turnsbuilt';

export class TurnList {
  private readonly views = new Map<string, TurnView>();
  /** Turns of the shown chat not built yet (older than every built one). */
  private unbuilt = new Set<string>();
  private generation = 0;

  constructor(
    private readonly container: HTMLElement,
    /** The last child of `container`: turns go before it. */
    private readonly anchor: HTMLElement,
    private readonly context: TurnContext,
    private readonly work: SlicedWork,
    /** Called with the turns of each batch built later, once they are on the page. */
    private readonly onBuilt: (views: TurnView[]) => void,
  ) {}

  get(turnId: string): TurnView | undefined {
    return this.views.get(turnId);
  }

  values(): IterableIterator<TurnView> {
    return this.views.values();
  }

  /** Shows a chat's turns: the last screens' worth now, the rest in short tasks. */
  show(turns: readonly ChatTurn[], screenPx: number): void {
    const generation = ++this.generation;
    // What was waiting to be drawn belongs to the chat shown before.
    this.work.clear();
    this.views.clear();
    this.container.replaceChildren(this.anchor);
    const heights = turns.map((turn) => estimateTurnHeight(turn.content));
    const first = firstTurnShownAtOnce(heights, screenPx);
    for (let i = first; i < turns.length; i++) this.add(turns[i]!, heights[i]);
    this.unbuilt = new Set(turns.slice(0, first).map((turn) => turn.id));
    // The earlier turns wait until the renderer is there and the turns on screen have been queued for it (a frame
    // later): the page's time goes to the last turn first.
    this.context.md.whenReady(() => requestAnimationFrame(() => requestAnimationFrame(() => this.buildEarlier(turns, heights, first, generation))));
  }

  private buildEarlier(turns: readonly ChatTurn[], heights: readonly number[], first: number, generation: number): void {
    if (generation !== this.generation) return;
    for (const batch of earlierBatches(first, batchSize)) {
      this.work.add(() => {
        if (generation !== this.generation) return;
        const views = batch.filter((i) => this.unbuilt.delete(turns[i]!.id)).map((i) => this.build(turns[i]!, heights[i]));
        if (views.length === 0) return;
        const above = this.container.querySelector(':scope > article.turn') ?? this.anchor;
        above.before(...views.map((view) => view.element));
        this.onBuilt(views);
        this.container.dispatchEvent(new CustomEvent(turnsBuiltEvent, { bubbles: true }));
      }, buildPriority);
    }
  }

  /** A turn after the ones shown (a new question, an answer starting). */
  add(turn: ChatTurn, height = estimateTurnHeight(turn.content)): TurnView {
    const view = this.build(turn, height);
    this.anchor.before(view.element);
    return view;
  }

  remove(turnId: string): void {
    this.unbuilt.delete(turnId);
    this.views.get(turnId)?.element.remove();
    this.views.delete(turnId);
  }

  private build(turn: ChatTurn, height: number | undefined): TurnView {
    const view = createTurnView(turn, this.context);
    // Until it is first laid out (content-visibility: auto skips turns off screen), a turn takes about its height.
    if (height !== undefined) view.element.style.containIntrinsicSize = `auto ${height}px`;
    this.views.set(turn.id, view);
    return view;
  }
}
