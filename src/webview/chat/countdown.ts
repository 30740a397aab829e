// A text that counts whole seconds down to a moment, once a second, and stops by itself when the moment
// has passed or its element has left the page.

/** Seconds left until `at` (epoch ms), rounded up; 0 once it has passed. */
export function secondsLeft(at: number, now = Date.now()): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export class Countdown {
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `render` gets the seconds left now and then once a second, last with 0. */
  constructor(
    private readonly element: HTMLElement,
    private readonly render: (seconds: number) => string,
  ) {}

  start(at: number): void {
    this.stop();
    const tick = (): void => {
      const seconds = secondsLeft(at);
      this.element.textContent = this.render(seconds);
      if (seconds === 0 || (this.timer !== undefined && !this.element.isConnected)) this.stop();
    };
    tick();
    if (secondsLeft(at) > 0) this.timer = setInterval(tick, 1000);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
