import { formatMoney } from '../format';
import { latestChange } from './trend';
import { METRICS, type KeyFactsYear, type MetricKey } from './types';

const W = 240;
const H = 150;
const PAD = { top: 24, bottom: 22, side: 6 };

/** One small bar chart per metric (their scales differ too much to share an axis), oldest year left. */
export function FinancialsChart({ years }: { years: KeyFactsYear[] }) {
  const ordered = [...years].sort((a, b) => a.fiscalYear - b.fiscalYear);
  return (
    <div className="charts" role="group" aria-label="Key financials by fiscal year">
      {METRICS.map((m) => (
        <TrendBars key={m.key} label={m.label} metric={m.key} years={ordered} />
      ))}
    </div>
  );
}

function TrendBars({ label, metric, years }: { label: string; metric: MetricKey; years: KeyFactsYear[] }) {
  const values = years.map((y) => y[metric]?.value ?? null);
  const fiscalYears = years.map((y) => y.fiscalYear);
  const max = Math.max(1, ...values.map((v) => Math.abs(v ?? 0)));
  const hasNegative = values.some((v) => (v ?? 0) < 0);
  const plotH = H - PAD.top - PAD.bottom;
  const zeroY = PAD.top + (hasNegative ? plotH / 2 : plotH);
  const scale = (hasNegative ? plotH / 2 : plotH) / max;
  const slot = (W - PAD.side * 2) / Math.max(1, years.length);
  const lastIndex = values.findLastIndex((v) => v !== null);
  const change = latestChange(values, fiscalYears);
  if (lastIndex < 0) {
    return (
      <figure className="chart">
        <figcaption className="chart__title">{label}</figcaption>
        <p className="muted small">Not reported in the XBRL facts of these filings.</p>
      </figure>
    );
  }
  return (
    <figure className="chart">
      <figcaption className="chart__title">
        {label}
        {lastIndex >= 0 && (
          <span className="chart__latest">
            {' '}
            <strong>{formatMoney(values[lastIndex], years[lastIndex]?.[metric]?.unit)}</strong> FY
            {fiscalYears[lastIndex]}
            {change && <span className="muted"> · {change}</span>}
          </span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="list" aria-label={`${label} by fiscal year`}>
        <line x1={PAD.side} x2={W - PAD.side} y1={zeroY} y2={zeroY} className="chart__axis" />
        {years.map((y, i) => {
          const v = values[i] ?? null;
          const h = v === null ? 0 : Math.max(1, Math.abs(v) * scale);
          const cx = PAD.side + i * slot + slot / 2;
          const top = v !== null && v < 0 ? zeroY : zeroY - h;
          const text = `FY${y.fiscalYear}: ${v === null ? 'not reported' : formatMoney(v, y[metric]?.unit)}`;
          return (
            <g key={y.accession} className="chart__bar-group" tabIndex={0} role="listitem" aria-label={text}>
              <title>{text}</title>
              {/* A full-height target, so hovering anywhere over the year shows its value. */}
              <rect x={cx - slot / 2} y={PAD.top} width={slot} height={plotH} className="chart__hit" />
              {v === null ? (
                <text x={cx} y={zeroY - 4} textAnchor="middle" className="chart__na">
                  n/a
                </text>
              ) : (
                <rect
                  x={cx - slot * 0.3}
                  width={slot * 0.6}
                  y={top}
                  height={h}
                  rx={2}
                  className={v < 0 ? 'chart__bar chart__bar--neg' : 'chart__bar'}
                />
              )}
              <text x={cx} y={Math.max(12, top - 5)} textAnchor="middle" className="chart__value">
                {v === null ? '' : formatMoney(v, y[metric]?.unit)}
              </text>
              <text x={cx} y={H - 6} textAnchor="middle" className="chart__label">
                {y.fiscalYear}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
