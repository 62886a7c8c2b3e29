import { SingleBar } from 'cli-progress';
import type { RebuildProgress } from '../rebuild/rebuild';

/** A stderr progress bar for a rebuild: events read of expected, events/s, ETA, phase. */
export function rebuildProgressBar(stream: NodeJS.WritableStream) {
  const bar = new SingleBar({
    stream,
    format: 'rebuild |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted} | {phase}',
    barsize: 30,
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  const started = performance.now();
  let begun = false;
  return {
    update(p: RebuildProgress) {
      const rate = Math.round(p.read / Math.max(0.001, (performance.now() - started) / 1_000));
      if (!begun) {
        bar.start(p.expected, 0, { rate, phase: p.phase });
        begun = true;
      }
      bar.setTotal(p.expected);
      bar.update(p.read, { rate, phase: p.phase });
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}
