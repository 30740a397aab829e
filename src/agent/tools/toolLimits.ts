// How much one tool call may read and hand back. The loop cuts every result again to its own limit; these keep
// a single call from reading megabytes in the first place.
export const toolLimits = {
  /** Largest file read_file, search_text and propose_edit read. */
  maxFileBytes: 2_000_000,
  /** Characters of file text one read_file result holds. */
  maxReadChars: 60_000,
  /** Files list_files returns by default, and at most. */
  listDefault: 200,
  listMax: 1000,
  /** Files search_text looks through, and the bytes of each. */
  searchMaxFiles: 2000,
  searchMaxFileBytes: 1_000_000,
  /** Diagnostics one call returns. */
  maxDiagnostics: 200,
  /** A terminal command's time by default and at most, and the output kept (start and end). */
  commandDefaultSeconds: 60,
  commandMaxSeconds: 600,
  maxCommandOutputChars: 30_000,
} as const;
