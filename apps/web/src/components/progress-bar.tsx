/** An accessible determinate bar; the label names what progresses. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div className="progress__fill" style={{ width: `${value}%` }} />
    </div>
  );
}
