// Work the page does a little at a time: jobs run in tasks of a few milliseconds, the most urgent first (the lowest
// `priority`; in the order added among equals), so drawing a reopened chat, rendering the turns scrolled into view
// and colouring their code never make one long task (Chromium counts a task over 50 ms as long). Pure of the DOM:
// the clock and the way to post the next task are given, so the order and the slicing are tested under Node.

/** Work per task: well under a long task's 50 ms, leaving the frame time for style, layout and paint. */
export const sliceMs = 8;

export interface SliceClock {
  now(): number;
  /** Runs `run` in a later task (a timer in the page). */
  post(run: () => void): void;
}

const pageClock: SliceClock = { now: () => performance.now(), post: (run) => void setTimeout(run, 0) };

interface Job {
  run: () => void;
  priority: number;
  order: number;
}

export class SlicedWork {
  private jobs: Job[] = [];
  private added = 0;
  private posted = false;
  private sorted = true;

  constructor(
    private readonly clock: SliceClock = pageClock,
    private readonly budgetMs = sliceMs,
  ) {}

  get pending(): number {
    return this.jobs.length;
  }

  add(run: () => void, priority = 0): void {
    const last = this.jobs[this.jobs.length - 1];
    if (last && last.priority > priority) this.sorted = false;
    this.jobs.push({ run, priority, order: this.added++ });
    this.schedule();
  }

  /** Forgets every job not yet run (the chat they were for was replaced). */
  clear(): void {
    this.jobs = [];
  }

  private schedule(): void {
    if (this.posted || this.jobs.length === 0) return;
    this.posted = true;
    this.clock.post(() => this.runSlice());
  }

  private runSlice(): void {
    this.posted = false;
    if (!this.sorted) {
      this.jobs.sort((a, b) => a.priority - b.priority || a.order - b.order);
      this.sorted = true;
    }
    const jobs = this.jobs;
    const start = this.clock.now();
    let ran = 0;
    // At least one job per task, so a job longer than the budget still runs; then as many as fit. A job may add
    // jobs (they wait for the next task if more urgent) or clear them all (the rest of this slice is dropped).
    while (ran < jobs.length && this.jobs === jobs && (ran === 0 || this.clock.now() - start < this.budgetMs)) jobs[ran++]!.run();
    if (this.jobs === jobs) jobs.splice(0, ran);
    this.schedule();
  }
}
