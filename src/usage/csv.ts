// CSV for the usage export (RFC 4180), safe to open in a spreadsheet: pure.

export type CsvCell = string | number | undefined;

/**
 * Quotes a cell when it holds a comma, quote or line break. Text that a spreadsheet would run as a
 * formula (starting with = + - @, tab or carriage return) gets a leading apostrophe: model ids come
 * from the server.
 */
export function csvCell(value: CsvCell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
