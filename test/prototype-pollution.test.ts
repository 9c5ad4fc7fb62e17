import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { getIn, ReservedKeyError, reservedKeyPaths, setIn } from '../src/scenario/paths.js';
import { cli, PROTOTYPE_GUARD } from './helpers.js';
import { prototypeChanges } from './setup/prototype-guard.js';

describe('no path reaches a prototype', () => {
  test('setIn refuses __proto__, constructor and prototype before changing anything', () => {
    for (const path of ['__proto__.x', 'a.constructor.prototype.x', 'a.prototype', 'options.sme-category.__proto__.label']) {
      const o: Record<string, unknown> = { a: { b: 1 } };
      expect(() => setIn(o, path, 1)).toThrow(ReservedKeyError);
      expect(o).toEqual({ a: { b: 1 } });
    }
    expect(() => setIn({}, 'a', JSON.parse('{"b": {"__proto__": {"x": 1}}}'))).toThrow(/"__proto__" is a reserved name/);
    expect(prototypeChanges()).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
  test('getIn follows own properties only', () => {
    expect(getIn({}, 'constructor')).toBeUndefined();
    expect(getIn({ a: {} }, 'a.toString')).toBeUndefined();
    expect(getIn({ a: { hasOwnProperty: 2 } }, 'a.hasOwnProperty')).toBe(2);
  });
  test('setIn replaces an inherited step with a new mapping instead of walking into it', () => {
    const o: Record<string, unknown> = {};
    setIn(o, 'toString.x', 1);
    expect(Object.getOwnPropertyDescriptor(o, 'toString')?.value).toEqual({ x: 1 });
    expect(typeof Object.prototype.toString).toBe('function');
  });
  test('reservedKeyPaths finds own __proto__ keys at any depth without recursion', () => {
    let deep: Record<string, unknown> = JSON.parse('{"__proto__": 1}');
    for (let k = 0; k < 50_000; k++) deep = { n: deep };
    expect(reservedKeyPaths(deep)[0]).toHaveLength(50_001);
  });
});

describe('--set, --param and --sweep-param cannot pollute (exit 2 naming the argument)', () => {
  test.each([
    '__proto__.x=1',
    'options.__proto__.polluted=1',
    'options.sme-category.__proto__.label=pwn',
    'constructor.prototype.polluted=1',
    'options.sme-category.prototype=1',
    'options={__proto__: {polluted: 1}}',
    'options.sme-category.eligibility={constructor: {prototype: {x: 1}}}',
  ])('run --set %s', (arg) => {
    const r = cli(['run', '--set', arg]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--set  ${arg}  "`);
    expect(r.stderr).toMatch(/is a reserved name/);
  });
  test('validate, sweep and export too', () => {
    expect(cli(['validate', 'scenarios/pp18-options.yaml', '--set', '__proto__.x=1']).stderr).toContain('--set  __proto__.x=1');
    const s = cli(['sweep', '--param', '__proto__.polluted', '--from', '0', '--to', '1', '--step', '1']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/^--param/m);
    const e = cli([
      'export',
      'scenarios/pp18-options.yaml',
      '--format',
      'json',
      '--sweep-param',
      'options.constructor.x',
      '--from',
      '0',
      '--to',
      '1',
      '--step',
      '1',
    ]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^--sweep-param/m);
  });
  test('the guard in every CLI process notices a polluted prototype (exit 99)', () => {
    const r = spawnSync(process.execPath, ['--import', PROTOTYPE_GUARD, '-e', 'Object.prototype.polluted = 1'], { encoding: 'utf8' });
    expect(r.status).toBe(99);
    expect(r.stderr).toContain('PROTOTYPE POLLUTED: Object.prototype.polluted added');
  });
});
