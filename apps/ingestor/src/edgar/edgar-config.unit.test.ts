import { describe, expect, it } from 'vitest';
import { EdgarConfigSchema, MIRROR_USER_AGENT, SecUserAgentSchema, edgarUserAgentRequired } from './edgar-config';

describe('edgarUserAgentRequired', () => {
  it("given SEC's own hosts, then a User-Agent is required", () => {
    expect(edgarUserAgentRequired('https://www.sec.gov', 'https://data.sec.gov')).toBe(true);
  });

  it('given a local mirror for both, then it is not', () => {
    expect(edgarUserAgentRequired('http://127.0.0.1:8920/www.sec.gov', 'http://127.0.0.1:8920/data.sec.gov')).toBe(
      false,
    );
  });

  it('given a host that only looks like SEC, then it is not SEC', () => {
    expect(edgarUserAgentRequired('https://sec.gov.example.com', 'http://localhost/data')).toBe(false);
  });
});

describe('SecUserAgentSchema', () => {
  it.each(['Symbology Research ops@symbology.example', 'Jane Doe jane.doe@example.com'])(
    'given "%s", then accepted',
    (ua) => {
      expect(SecUserAgentSchema.safeParse(ua).success).toBe(true);
    },
  );

  it.each(['', 'ops@symbology.example', 'Symbology Research', 'python-requests/2.31'])(
    'given "%s", then refused with an actionable message',
    (ua) => {
      const result = SecUserAgentSchema.safeParse(ua);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/SEC_USER_AGENT must name .* contact email, e\.g\./);
    },
  );
});

describe('EdgarConfigSchema', () => {
  it('given SEC URLs (the defaults) and no User-Agent, then refused on userAgent', () => {
    const result = EdgarConfigSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['userAgent']);
  });

  it('given mirror URLs and no User-Agent, then accepted with a mirror User-Agent', () => {
    const config = EdgarConfigSchema.parse({
      wwwUrl: 'http://127.0.0.1:1/www.sec.gov',
      dataUrl: 'http://127.0.0.1:1/data.sec.gov',
    });
    expect(config.userAgent).toBe(MIRROR_USER_AGENT);
  });
});
