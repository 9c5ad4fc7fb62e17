/**
 * vitest setupFiles (vitest.config.ts), for the whole suite: Object.prototype, Array.prototype and
 * Function.prototype are made non-extensible, so code that adds a key to them (pollution) throws in
 * strict-mode code and does nothing in sloppy code; after every test each of their properties must be
 * the one it was before the suite (same keys, same values, getters and setters), so an overwrite fails
 * the test that made it. (Object.freeze is not used: libraries such as decimal.js, dayjs and es-toolkit
 * assign `x.toString = …` on their own objects, which a frozen prototype forbids.) CLI processes get the
 * same check through test/setup/prototype-guard-child.mjs (exit code 99).
 */
import { afterEach, expect } from 'vitest';

const watched = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype };
type Snapshot = Map<PropertyKey, PropertyDescriptor>;
const snapshot = (p: object): Snapshot => new Map(Reflect.ownKeys(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)!]));
const before = Object.entries(watched).map(([name, p]) => ({ name, p, keys: snapshot(p) }));
for (const p of Object.values(watched)) Object.preventExtensions(p);

/** What changed on the watched prototypes since the suite started: added, removed or replaced keys. */
export function prototypeChanges(): string[] {
  const out: string[] = [];
  for (const { name, p, keys } of before) {
    const now = snapshot(p);
    for (const [k, d] of now) {
      const was = keys.get(k);
      if (!was) out.push(`${name}.${String(k)} added`);
      else if (!Object.is(was.value, d.value) || was.get !== d.get || was.set !== d.set) out.push(`${name}.${String(k)} replaced`);
    }
    for (const k of keys.keys()) if (!now.has(k)) out.push(`${name}.${String(k)} removed`);
  }
  return out;
}

afterEach(() => {
  expect(prototypeChanges(), 'a prototype was polluted').toEqual([]);
  expect(Object.isExtensible(Object.prototype)).toBe(false);
});
