import fc from 'fast-check';

/**
 * Byte strings for UTF-8 stream tests, joined in any order: text encoded from random code units
 * (lone surrogates included), arbitrary bytes, and the hard cases a chunk boundary can split — the
 * starts of two-, three- and four-byte sequences cut short, an encoded surrogate, an overlong "/",
 * a line feed, and U+FFFD itself.
 */
export const utf8Piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)),
  fc.constantFrom(
    ...[[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x0a], [0xef, 0xbf, 0xbd]].map((a) => Buffer.from(a)),
  ),
);
