// What the benchmark types: a small TypeScript module, the kind of file ghost text helps with.
export const typedSource = `import { readFile } from 'node:fs/promises';

export interface Invoice {
  id: string;
  customer: string;
  lines: Array<{ item: string; quantity: number; price: number }>;
}

export function invoiceTotal(invoice: Invoice): number {
  return invoice.lines.reduce((sum, line) => sum + line.quantity * line.price, 0);
}

export async function loadInvoices(path: string): Promise<Invoice[]> {
  const text = await readFile(path, 'utf8');
  return JSON.parse(text) as Invoice[];
}
`;
