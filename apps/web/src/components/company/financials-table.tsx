import { formatMoney } from '../format';
import { METRICS, type KeyFactsYear } from './types';

/** Key figures per fiscal year, oldest left so the eye reads growth left to right. */
export function FinancialsTable({ years }: { years: KeyFactsYear[] }) {
  const ordered = [...years].sort((a, b) => a.fiscalYear - b.fiscalYear);
  return (
    <div className="table-scroll">
      <table className="financials">
        <caption>Key financials (as reported in each annual report)</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {ordered.map((y) => (
              <th scope="col" key={y.accession}>
                FY{y.fiscalYear}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((m) => (
            <tr key={m.key}>
              <th scope="row">{m.label}</th>
              {ordered.map((y) => {
                const v = y[m.key];
                return (
                  <td key={y.accession} title={v ? `${v.concept} (${v.unit})` : 'not reported'}>
                    {formatMoney(v?.value, v?.unit)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
