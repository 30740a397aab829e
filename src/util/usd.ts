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
