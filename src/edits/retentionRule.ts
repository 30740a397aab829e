// Which answers' checkpoints to delete: beyond the newest `keep`, or older than `maxAgeDays`. No vscode import:
// unit-tested under Node.

export interface Retention {
  keep: number;
  maxAgeDays: number;
}

/** `openrouter.checkpoints.keep` and `.maxAgeDays`: default and range, as package.json declares them. */
export const retentionSettings = {
  keep: { key: 'checkpoints.keep', default: 100, minimum: 1, maximum: 10_000 },
  maxAgeDays: { key: 'checkpoints.maxAgeDays', default: 30, minimum: 1, maximum: 3650 },
} as const;

const dayMs = 86_400_000;

/** `checkpoints` newest first (by `at`, epoch ms); returns those to delete. */
export function checkpointsToPrune<T extends { at: number }>(checkpoints: readonly T[], retention: Retention, now: number): T[] {
  const oldest = now - retention.maxAgeDays * dayMs;
  return checkpoints.filter((checkpoint, index) => index >= retention.keep || checkpoint.at < oldest);
}
