import { describe, expect, it } from 'vitest';
import { storableText } from './storable-text';

describe('storableText', () => {
  it('given NUL, control characters and lone surrogates, then they are removed and the rest kept', () => {
    expect(storableText('a\u0000b\u0001c\u001fd\ud800e\udc00f')).toBe('abcdef');
  });

  it('given tabs, newlines, emoji (surrogate pairs) and accents, then nothing changes', () => {
    const clean = 'Caf\u00e9\tline\r\nnext \ud83d\ude00 \u20ac40';
    expect(storableText(clean)).toBe(clean);
  });

  it('given a high surrogate at the very end, then it is removed', () => {
    expect(storableText('end\ud83d')).toBe('end');
  });
});
