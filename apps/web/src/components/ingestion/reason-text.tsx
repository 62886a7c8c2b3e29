import { reasonPieces } from './reason';

/** A reason with each URL shown by its file name; the whole address is in the name's tooltip. */
export function ReasonText({ reason }: { reason: string }) {
  return (
    <>
      {reasonPieces(reason).map((p, i) =>
        p.url ? (
          <span key={i} className="reason__url" title={p.url}>
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  );
}
