import { expect, test } from 'vitest';
import { getIn, setIn } from '../src/scenario/paths.js';

test('setIn creates mappings on the way (the documented example)', () => {
  const o = {};
  setIn(o, 'a.b', 1);
  expect(o).toEqual({ a: { b: 1 } });
});

test('null deletes a key, or is kept when asked to', () => {
  const o: Record<string, unknown> = { a: { b: 1, c: 2 } };
  setIn(o, ['a', 'b'], null);
  expect(o).toEqual({ a: { c: 2 } });
  setIn(o, 'a.c', null, false);
  expect(o).toEqual({ a: { c: null } });
});

test('getIn reads a path and gives undefined past a missing step', () => {
  const o = { options: { x: { fee: [5] } } };
  expect(getIn(o, 'options.x.fee.0')).toBe(5);
  expect(getIn(o, ['options', 'y', 'fee'])).toBeUndefined();
});
