import Link from 'next/link';
import type { ReactNode } from 'react';

/** The body of a 404 page: what is not there, and the way back to search. */
export function NotFoundCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby="nf-h">
      <h1 id="nf-h">{title}</h1>
      {children}
      <p>
        <Link href="/">Search for a company by ticker or name</Link>
      </p>
    </section>
  );
}
