import { NotFoundCard } from '~/components/not-found-card';

export default function NotFound() {
  return (
    <NotFoundCard title="Page not found">
      <p>There is no page at this address.</p>
    </NotFoundCard>
  );
}
