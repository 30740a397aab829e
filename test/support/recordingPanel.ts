import type { ExtensionMessage } from '../../src/protocols/chat';

type Message<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;

/** Stands in for the chat panel: records what the session posts, and lets a test wait for a message as it arrives. */
export class RecordingPanel {
  readonly messages: ExtensionMessage[] = [];
  private waiters: Array<() => void> = [];

  post = (message: ExtensionMessage): void => {
    this.messages.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  };

  of<T extends ExtensionMessage['type']>(type: T): Array<Message<T>> {
    return this.messages.filter((m): m is Message<T> => m.type === type);
  }

  /** The first message of `type` that passes `test`, posted already or when it comes. */
  async next<T extends ExtensionMessage['type']>(type: T, test: (m: Message<T>) => boolean = () => true): Promise<Message<T>> {
    for (;;) {
      const found = this.of(type).find(test);
      if (found) return found;
      await this.nextPost();
    }
  }

  /** Resolves once `test` holds, checked after each message posted. */
  async until(test: () => boolean): Promise<void> {
    while (!test()) await this.nextPost();
  }

  private nextPost(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
