import { formatMoney } from '../format';
import { METRICS, type KeyFactsYear, type MetricKey } from './types';

const W = 220;
const H = 120;
const PAD = { top: 10, bottom: 22, side: 6 };

/** One small bar chart per metric: their scales differ too much to share an axis. */
export function FinancialsChart({ years }: { years: KeyFactsYear[] }) {
  const ordered = [...years].sort((a, b) => a.fiscalYear - b.fiscalYear);
  return (
    <figure className="charts" aria-label="Key financials by fiscal year">
      {METRICS.map((m) => (
        <MiniBars key={m.key} label={m.label} metric={m.key} years={ordered} />
      ))}
    </figure>
  );
}

function MiniBars({ label, metric, years }: { label: string; metric: MetricKey; years: KeyFactsYear[] }) {
  const values = years.map((y) => y[metric]?.value ?? null);
  const max = Math.max(1, ...values.map((v) => Math.abs(v ?? 0)));
  const hasNegative = values.some((v) => (v ?? 0) < 0);
  const plotH = H - PAD.top - PAD.bottom;
  const zeroY = PAD.top + (hasNegative ? plotH / 2 : plotH);
  const scale = (hasNegative ? plotH / 2 : plotH) / max;
  const slot = (W - PAD.side * 2) / Math.max(1, years.length);
  const summary = years.map((y, i) => `FY${y.fiscalYear} ${formatMoney(values[i])}`).join(', ');
  return (
    <div className="chart">
      <div className="chart__title">{label}</div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${summary}`}>
        <line x1={PAD.side} x2={W - PAD.side} y1={zeroY} y2={zeroY} className="chart__axis" />
        {years.map((y, i) => {
          const v = values[i] ?? null;
          const h = v === null ? 0 : Math.abs(v) * scale;
          const x = PAD.side + i * slot + slot * 0.2;
          return (
            <g key={y.accession}>
              <rect
                x={x}
                width={slot * 0.6}
                y={v !== null && v < 0 ? zeroY : zeroY - h}
                height={h}
                className={v !== null && v < 0 ? 'chart__bar chart__bar--neg' : 'chart__bar'}
              >
                <title>{`FY${y.fiscalYear}: ${formatMoney(v)}`}</title>
              </rect>
              <text x={x + slot * 0.3} y={H - 6} textAnchor="middle" className="chart__label">
                {String(y.fiscalYear).slice(2)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
