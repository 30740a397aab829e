// What the extension itself adds to the wait for an answer's first token, written to the log once the answer
// ends: from the question reaching the extension to its request going out on a connection, and from the first
// token being read to its message being handed to the panel. Everything else on the way (the network, VS Code
// carrying the two messages, the panel drawing) is not the extension's code.

export class AnswerTiming {
  private requestSentAt: number | undefined;
  private tokenReadAt: number | undefined;
  private tokenPostedAt: number | undefined;

  /** `askedAt`: performance.now() when the question (or regenerate, edit, retry) reached the extension. */
  constructor(private readonly askedAt: number) {}

  /** The first attempt's request started going out; retries do not move it. */
  requestSent(): void {
    this.requestSentAt ??= performance.now();
  }

  /** The first token's message was just handed to the panel; `readAt` is when the token was read. */
  firstTokenPosted(readAt: number): void {
    if (this.tokenReadAt !== undefined) return;
    this.tokenReadAt = readAt;
    this.tokenPostedAt = performance.now();
  }

  /** One log line, or undefined when the answer never got its first token. */
  describe(): string | undefined {
    const { askedAt, requestSentAt, tokenReadAt, tokenPostedAt } = this;
    if (requestSentAt === undefined || tokenReadAt === undefined || tokenPostedAt === undefined) return undefined;
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    return `Chat timing: request sent ${ms(requestSentAt - askedAt)} after the question arrived · first token handed to the panel ${ms(tokenPostedAt - tokenReadAt)} after it was read · first token ${ms(tokenReadAt - askedAt)} after the question`;
  }
}
