import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p>
        <Link href="/">Search for a company</Link>
      </p>
    </section>
  );
}
