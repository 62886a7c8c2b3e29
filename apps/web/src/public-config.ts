import { z } from 'zod';

/** Absolute http(s) URL or an absolute path on the page's own origin. */
export const HttpUrlOrPath = z
  .string()
  .refine((v) => v.startsWith('/') || /^https?:\/\//.test(v), 'must be an http(s):// URL or a path starting with /');
/** Absolute ws(s) URL, a path on the page's own origin, or empty to derive it from the page. */
export const WsUrlOrPath = z
  .string()
  .refine(
    (v) => v === '' || v.startsWith('/') || /^wss?:\/\//.test(v),
    'must be a ws(s):// URL or a path starting with /',
  );

/**
 * What the browser is told at run time (rendered into the page by the root layout), so one build
 * runs behind any host name. Shared by env.ts (validated at boot) and the client (validated again).
 */
export const PublicConfigSchema = z.object({
  apiUrl: HttpUrlOrPath,
  wsUrl: WsUrlOrPath,
  /** When false the page never opens a WebSocket and polls instead (an operator's kill switch). */
  wsEnabled: z.boolean(),
});
export type PublicConfig = z.infer<typeof PublicConfigSchema>;

/** The tRPC WebSocket's path on the web server. */
export const WS_PATH = '/api/trpc-ws';

/** Absolute URLs for this page: a path is resolved against the page's origin (http -> ws). */
export function resolvePublicUrls(config: PublicConfig, location: { origin: string; protocol: string; host: string }) {
  const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  return {
    apiUrl: config.apiUrl.startsWith('/') ? `${location.origin}${config.apiUrl}` : config.apiUrl,
    wsUrl:
      config.wsUrl === ''
        ? `${wsOrigin}${WS_PATH}`
        : config.wsUrl.startsWith('/')
          ? `${wsOrigin}${config.wsUrl}`
          : config.wsUrl,
  };
}
