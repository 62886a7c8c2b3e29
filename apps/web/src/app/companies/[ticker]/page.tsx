import type { Metadata } from 'next';
import { CompanyView } from '~/components/company/company-view';

type Props = { params: Promise<{ ticker: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { ticker } = await params;
  return { title: `${decodeURIComponent(ticker).toUpperCase()} · Symbology` };
}

export default async function CompanyPage({ params }: Props) {
  const { ticker } = await params;
  return <CompanyView ticker={decodeURIComponent(ticker).toUpperCase()} />;
}
