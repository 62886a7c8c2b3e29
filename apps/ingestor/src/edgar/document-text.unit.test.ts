import { describe, expect, it } from 'vitest';
import { documentText } from './document-text';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('documentText', () => {
  it('given valid UTF-8, whatever the declaration, then UTF-8', () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0" encoding="ASCII"?><p>Company’s café</p>');
    expect(documentText(bytes)).toContain('Company’s café');
  });

  it('given windows-1252 bytes and no declaration, then windows-1252 (0x92 is ’, not the control U+0092)', () => {
    expect(documentText(latin1('<p>Item 1A.\xa0Risk Factors: the Company\x92s \x93risks\x94 \x80</p>'))).toBe(
      '<p>Item 1A.\u00a0Risk Factors: the Company’s “risks” €</p>',
    );
  });

  it('given bytes that are not UTF-8, then the charset the document declares', () => {
    expect(documentText(latin1('<meta charset="iso-8859-1"><p>\x92</p>'))).toContain('<p>’</p>');
    // Declared UTF-8 and not: each bad byte is U+FFFD, as a browser shows it.
    expect(documentText(latin1('<?xml version="1.0" encoding="utf-8"?><p>\x92</p>'))).toContain('<p>\ufffd</p>');
  });

  it('given a UTF-16 byte order mark, then UTF-16', () => {
    const text = '<p>Item 1. Business</p>';
    expect(documentText(new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]))).toBe(text);
  });
});
