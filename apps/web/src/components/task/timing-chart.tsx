import { filingDurations, formatDuration, type FilingDuration } from './filing-durations';
import type { RouterOutputs } from '@symbology/api';

type Props = {
  events: RouterOutputs['ingest']['events'];
  filings: RouterOutputs['ingest']['status']['filings'];
};

// A narrow drawing, so its text stays readable where it is scaled down to a phone's width (at 560
// units wide the labels shrank to 6-7 px there); the CSS caps how far it grows on a wide screen.
const ROW = 26;
const LABEL_W = 90;
const VALUE_W = 80;
const W = 360;

/** Horizontal bars, one per filing: how long each took from start to outcome. */
export function TimingChart({ events, filings }: Props) {
  const rows = filingDurations(events, filings);
  if (rows.length === 0) return null;
  const max = Math.max(1, ...rows.map((r) => r.ms ?? 0));
  const plotW = W - LABEL_W - VALUE_W;
  const total = rows.reduce((sum, r) => sum + (r.ms ?? 0), 0);
  return (
    <section className="panel" aria-labelledby="timing-h">
      <h2 id="timing-h">Time per filing</h2>
      <svg
        className="timing"
        viewBox={`0 0 ${W} ${rows.length * ROW + 4}`}
        role="img"
        aria-label={`Time per filing: ${rows.map((r) => `${r.label} ${durationText(r)}`).join(', ')}`}
      >
        {rows.map((r, i) => {
          const y = i * ROW + 4;
          const width = r.ms === null ? 0 : Math.max(2, (r.ms / max) * plotW);
          return (
            <g key={r.accession} data-status={r.status} className="timing__row">
              <text x={0} y={y + ROW / 2} className="timing__label" dominantBaseline="middle">
                {r.label}
              </text>
              <rect x={LABEL_W} y={y + 4} width={width} height={ROW - 10} rx={3} className="timing__bar" />
              <text x={LABEL_W + width + 6} y={y + ROW / 2} className="timing__value" dominantBaseline="middle">
                {durationText(r)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="muted small">
        {formatDuration(total)} in all for {rows.length} filing{rows.length === 1 ? '' : 's'}, from each one&apos;s
        start to its outcome.
      </p>
    </section>
  );
}

/** A filing's time, "in progress…" while it runs, "not finished" for one its task ended without. */
function durationText(r: Pick<FilingDuration, 'ms' | 'status'>): string {
  if (r.ms !== null) return formatDuration(r.ms);
  return r.status === 'processing' ? 'in progress…' : 'not finished';
}
