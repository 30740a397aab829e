// Image data of this window's questions, by attachment id, for follow-up questions to send again. Held in
// memory only (history keeps an image's name), bounded: past the limit the oldest images are let go, and a
// later request says where they were instead of sending them.

/** About ten images at the 5 MB limit (as data URLs, a third larger than the bytes). */
export const maxImageDataChars = 64 * 1024 * 1024;

export class ImageStore {
  private readonly data = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars = maxImageDataChars) {}

  get(id: string): string | undefined {
    return this.data.get(id);
  }

  set(id: string, dataUrl: string): void {
    this.delete(id);
    this.data.set(id, dataUrl);
    this.chars += dataUrl.length;
    for (const [oldest, value] of this.data) {
      if (this.chars <= this.maxChars || oldest === id) break;
      this.data.delete(oldest);
      this.chars -= value.length;
    }
  }

  delete(id: string): void {
    const value = this.data.get(id);
    if (value === undefined) return;
    this.data.delete(id);
    this.chars -= value.length;
  }

  get size(): number {
    return this.data.size;
  }
}
