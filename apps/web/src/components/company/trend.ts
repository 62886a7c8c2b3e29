/** "+4.1% vs FY2023" between the two latest years that have a value; empty when there are not two. */
export function latestChange(values: readonly (number | null)[], years: readonly number[]): string {
  const known = values.flatMap((v, i) => (v === null ? [] : [{ v, year: years[i]! }]));
  const [prev, last] = known.slice(-2);
  if (!prev || !last || prev.v === 0) return '';
  const pct = ((last.v - prev.v) / Math.abs(prev.v)) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}% vs FY${prev.year}`;
}
