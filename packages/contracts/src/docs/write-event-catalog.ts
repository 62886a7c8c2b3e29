// Rewrites the catalogs generated from the zod schemas, docs/events.md's generated part and
// docs/asyncapi.yaml: `pnpm docs:events`.
import { readFileSync, writeFileSync } from 'node:fs';
import { ASYNCAPI_PATH, renderAsyncApi } from './asyncapi-document';
import { renderEventCatalog } from './event-catalog';

const path = new URL('../../../../docs/events.md', import.meta.url);
const BEGIN = '<!-- generated:event-catalog -->';
const END = '<!-- /generated:event-catalog -->';
const doc = readFileSync(path, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/events.md needs the markers ${BEGIN} ... ${END}`);
writeFileSync(path, `${doc.slice(0, start + BEGIN.length)}\n\n${renderEventCatalog()}\n\n${doc.slice(end)}`);
console.log('docs/events.md updated');
writeFileSync(ASYNCAPI_PATH, await renderAsyncApi());
console.log('docs/asyncapi.yaml updated');
