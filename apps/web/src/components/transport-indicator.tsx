'use client';

import type { Transport } from '~/trpc/transport-state';

const TEXT: Record<Transport, { label: string; title: string }> = {
  live: { label: 'Live', title: 'Updates stream over a WebSocket' },
  reconnecting: { label: 'Reconnecting…', title: 'Opening the WebSocket' },
  polling: { label: 'Polling', title: 'WebSocket unavailable: checking for updates every few seconds' },
};

export function TransportIndicator({ transport }: { transport: Transport }) {
  const { label, title } = TEXT[transport];
  return (
    <span className={`transport transport--${transport}`} title={title} data-transport={transport}>
      <span className="transport__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
