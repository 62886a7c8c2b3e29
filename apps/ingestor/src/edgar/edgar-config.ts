import { z } from 'zod';

export const SEC_WWW_URL = 'https://www.sec.gov';
export const SEC_DATA_URL = 'https://data.sec.gov';

/** Sent to a mirror, which does not care who is asking. */
export const MIRROR_USER_AGENT = 'symbology-ingestor local-mirror@localhost';

function isSecHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'sec.gov' || host.endsWith('.sec.gov');
  } catch {
    return false;
  }
}

/**
 * SEC blocks traffic that does not declare who sends it, so talking to SEC itself needs an operator
 * User-Agent; a local mirror (tests, offline demos) does not.
 */
export function edgarUserAgentRequired(wwwUrl: string, dataUrl: string): boolean {
  return isSecHost(wwwUrl) || isSecHost(dataUrl);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** SEC's fair-access policy: "Sample Company Name AdminContact@<sample company domain>.com". */
export const SecUserAgentSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      const words = value.split(/\s+/);
      return words.some((w) => EMAIL.test(w)) && words.some((w) => !EMAIL.test(w) && /\p{L}/u.test(w));
    },
    {
      message:
        'SEC_USER_AGENT must name who runs this ingestor and give a contact email, e.g. "Acme Research ops@acme.example" (SEC blocks undeclared traffic)',
    },
  );

/** What the app's env.ts hands the EDGAR client after reading its own variables. */
export const EdgarConfigSchema = z
  .object({
    wwwUrl: z.url().default(SEC_WWW_URL),
    dataUrl: z.url().default(SEC_DATA_URL),
    userAgent: z.string().trim().optional(),
  })
  .superRefine((config, ctx) => {
    if (!edgarUserAgentRequired(config.wwwUrl, config.dataUrl)) return;
    const ua = SecUserAgentSchema.safeParse(config.userAgent ?? '');
    if (!ua.success) {
      for (const issue of ua.error.issues)
        ctx.addIssue({ code: 'custom', path: ['userAgent'], message: issue.message });
    }
  })
  .transform((config) => ({ ...config, userAgent: config.userAgent || MIRROR_USER_AGENT }));
export type EdgarConfig = z.output<typeof EdgarConfigSchema>;
