import { formatMoney } from '../format';
import { newestFirst } from './financials-columns';
import { METRICS, type KeyFactsYear } from './types';

/**
 * Key figures per fiscal year, newest left so a phone shows the latest years before any scrolling;
 * the metric column stays put while the years scroll. The caption sits outside the scrolling box so
 * it wraps to the screen instead of running off with the table.
 */
export function FinancialsTable({ years }: { years: KeyFactsYear[] }) {
  const ordered = newestFirst(years);
  return (
    <div className="financials-block">
      <p id="financials-caption" className="financials__caption">
        Key financials (as reported in each annual report)
      </p>
      <div className="table-scroll">
        <table className="financials" aria-labelledby="financials-caption">
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
    </div>
  );
}
