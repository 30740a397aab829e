// A panel's first message sent with its page instead of after its `ready`: the extension writes it into the HTML
// as a JSON data block (`<script type="application/json">`, which the browser never runs, so the page's CSP is
// unchanged) and the page hands it to its message listeners as if it had been posted. Pure: both sides import it.

/** The id of the data block in the page. */
export const firstMessageId = 'openrouter-first-message';

/**
 * `value` as JSON that can sit inside a `<script>` element: `<`, `>` and `&` are written as `\u003c`-style escapes
 * (no `</script>` or `<!--` can end or change the element) and so are U+2028 and U+2029. JSON.parse gives `value` back.
 */
export function jsonForScriptBlock(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
