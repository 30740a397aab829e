// The one way an amount of US dollars is shown (balance, budgets, an answer's cost, prices), in the extension
// and in the panels: cents from a dollar up, two significant digits below (never fewer than two decimals).
const belowADollar = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });
const dollars = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "$1,234.50", "$0.50", "$0.035", "$0.00038", "$0", "-$1.20"; "—" when there is no amount. */
export function formatUsd(amount: number | undefined | null): string {
  if (amount === undefined || amount === null || !Number.isFinite(amount)) return '—';
  if (amount === 0) return '$0';
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (abs >= 1) return `${sign}$${dollars.format(abs)}`;
  const text = belowADollar.format(abs);
  const decimals = text.split('.')[1]?.length ?? 0;
  return `${sign}$${decimals >= 2 ? text : Number(text).toFixed(2)}`;
}

/** A price in a narrow place (the model picker, "$3/$15"): no trailing zeros: "$3", "$0.15", "$0.0025", "$150". */
export function formatUsdCompact(amount: number): string {
  const abs = Math.abs(amount);
  const text = abs >= 100 ? abs.toFixed(0) : withoutTrailingZeros(abs >= 0.01 ? abs.toFixed(2) : abs.toPrecision(2));
  return `${amount < 0 ? '-' : ''}$${text}`;
}

/** "1.50" → "1.5", "2.00" → "2", "120" stays. */
export function withoutTrailingZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
