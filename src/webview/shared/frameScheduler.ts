// Coalesces every render request into one pass on an animation frame, so a fast stream costs at most
// one render per frame however many tokens arrive (and no more than ~30 a second). When a pass is
// expensive (a long answer on a slow machine), the next one waits longer, keeping the main thread free.

export interface Renderable {
  render(): void;
}

/** After a pass that took t ms, the next waits until t × this has passed, so rendering stays under ~1/3 of the time. */
const pacingFactor = 2;
const maxPauseMs = 200;
/** Text arriving faster than ~30 renders a second reads no smoother, and every render also costs layout and paint. */
const minIntervalMs = 32;

export class FrameScheduler {
  private readonly dirty = new Set<Renderable>();
  private frame = 0;
  private notBefore = 0;

  schedule(item: Renderable): void {
    this.dirty.add(item);
    this.requestFrame();
  }

  /** Renders now whatever is pending (before a final render, so order is kept). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.dirty.size === 0) return;
    const started = performance.now();
    const items = [...this.dirty];
    this.dirty.clear();
    for (const item of items) item.render();
    const ended = performance.now();
    this.notBefore = Math.max(started + minIntervalMs, ended + Math.min(maxPauseMs, (ended - started) * pacingFactor));
  }

  cancel(item: Renderable): void {
    this.dirty.delete(item);
  }

  private requestFrame(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame((now) => {
      this.frame = 0;
      if (now < this.notBefore) this.requestFrame();
      else this.flush();
    });
  }
}
