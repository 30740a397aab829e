// The message of anything thrown (an Error's message, else its text): the one place this is spelled out.
// A file of its own with no imports, so start-up code can use it without loading the client.
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
