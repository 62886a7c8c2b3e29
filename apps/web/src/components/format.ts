/** 391035000000 -> "$391.0B"; keeps the sign. */
export function formatMoney(value: number | null | undefined, unit = 'USD'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const [n, suffix] =
    abs >= 1e12
      ? [abs / 1e12, 'T']
      : abs >= 1e9
        ? [abs / 1e9, 'B']
        : abs >= 1e6
          ? [abs / 1e6, 'M']
          : abs >= 1e3
            ? [abs / 1e3, 'K']
            : [abs, ''];
  const sign = value < 0 ? '−' : '';
  const symbol = unit === 'USD' ? '$' : '';
  const tail = unit === 'USD' ? '' : ` ${unit}`;
  return `${sign}${symbol}${n.toFixed(n >= 100 || suffix === '' ? 0 : 1)}${suffix}${tail}`;
}

/** EDGAR's "0926" -> "September 26". */
export function formatFiscalYearEnd(mmdd: string | null): string {
  if (!mmdd || !/^\d{4}$/.test(mmdd)) return '—';
  const month = new Date(Date.UTC(2000, Number(mmdd.slice(0, 2)) - 1, 1)).toLocaleString('en-US', {
    month: 'long',
    timeZone: 'UTC',
  });
  return `${month} ${Number(mmdd.slice(2))}`;
}
