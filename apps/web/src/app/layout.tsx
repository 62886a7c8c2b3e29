import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { HeaderSearch } from '~/components/search/header-search';
import { getRuntime } from '~/server/runtime';
import { TRPCReactProvider } from '~/trpc/react';
import './globals.css';

// The browser's API and WebSocket URLs are read at request time from the server's validated
// environment, so one build serves any host.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Symbology', description: 'Company filings from SEC EDGAR, ingested live' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  const { publicConfig } = getRuntime();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        {/* The header's search suggests as the page's own search does: both inside the provider. */}
        <TRPCReactProvider config={publicConfig}>
          <header className="topbar">
            <Link href="/" className="brand">
              Symbology
            </Link>
            <HeaderSearch />
          </header>
          <main id="main" className="container">
            {children}
          </main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
