import { z } from 'zod';

/** A header a status fault may send, as Node will write it: a token for the name, no control character in the value. */
const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not an HTTP header name');
const HeaderValueSchema = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'a header value holds no control character');

/**
 * A fault to inject into responses whose path matches `pattern` (a substring, or a regular
 * expression when `regex` is true). Actions combine: wait `delayMs`, then answer `status`
 * (with Retry-After when given, and any `headers`, such as a redirect's Location) or serve half
 * the body (`truncate`). `times` limits how many matching requests it applies to; without it,
 * every one.
 */
export const FaultRuleSchema = z
  .object({
    pattern: z.union([z.string().min(1), z.instanceof(RegExp)]),
    regex: z.boolean().default(false),
    status: z.number().int().min(300).max(599).optional(),
    retryAfter: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
    headers: z.record(HeaderNameSchema, HeaderValueSchema).optional(),
    delayMs: z.number().int().nonnegative().max(600_000).optional(),
    truncate: z.boolean().optional(),
    times: z.number().int().positive().optional(),
  })
  .refine((r) => r.status !== undefined || r.delayMs !== undefined || r.truncate, {
    message: 'a fault needs an action: status, delayMs or truncate',
  })
  .refine((r) => r.headers === undefined || r.status !== undefined, {
    message: 'headers are sent with a status: give one',
  });
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;
export type FaultRule = z.output<typeof FaultRuleSchema>;

type ActiveRule = { id: number; rule: FaultRule; matcher: (path: string) => boolean; remaining: number };

export type FaultSet = {
  add(input: FaultRuleInput): number;
  clear(): void;
  /** The first rule matching the path that still has uses left; consumes one use. */
  take(path: string): FaultRule | undefined;
  list(): Array<{ id: number; remaining: number | null; rule: FaultRule }>;
};

export function createFaultSet(): FaultSet {
  let rules: ActiveRule[] = [];
  let nextId = 1;
  return {
    add(input) {
      const rule = FaultRuleSchema.parse(input);
      const pattern = rule.pattern;
      const re = pattern instanceof RegExp ? pattern : rule.regex ? new RegExp(pattern) : undefined;
      const matcher = re ? (path: string) => re.test(path) : (path: string) => path.includes(String(pattern));
      const id = nextId++;
      rules.push({ id, rule, matcher, remaining: rule.times ?? Infinity });
      return id;
    },
    clear() {
      rules = [];
    },
    take(path) {
      const active = rules.find((r) => r.remaining > 0 && r.matcher(path));
      if (!active) return undefined;
      active.remaining--;
      rules = rules.filter((r) => r.remaining > 0);
      return active.rule;
    },
    list: () =>
      rules.map((r) => ({ id: r.id, remaining: Number.isFinite(r.remaining) ? r.remaining : null, rule: r.rule })),
  };
}
