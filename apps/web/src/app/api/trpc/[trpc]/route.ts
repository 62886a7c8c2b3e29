import { handleTrpcFetch } from '~/server/http/trpc-fetch';
import { getRuntime } from '~/server/runtime';

// Queries and mutations over HTTP. Subscriptions use the WebSocket at /api/trpc-ws, which the
// custom server (src/server/main.ts) serves on the same port.
export const dynamic = 'force-dynamic';

const handler = (req: Request) => handleTrpcFetch(req, getRuntime().services);
export { handler as GET, handler as POST };
