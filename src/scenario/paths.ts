/**
 * Reading and writing a scenario value at a dotted path (`options.sme-category.fee.T.developed`), the
 * way `--set`, sweeps, the explorer and saved scenarios address values.
 *
 * No path can reach a prototype: `__proto__`, `constructor` and `prototype` are reserved (rejected as
 * keys everywhere: scenario files, `--set` paths and values, option ids), and both functions only
 * follow a step through an object's own properties.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Names that reach an object's prototype or its constructor in JavaScript; never scenario keys. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const isReservedKey = (k: PropertyKey) => typeof k === 'string' && RESERVED_KEYS.has(k);
export const reservedKeyMessage = (k: string) =>
  `"${k}" is a reserved name (it would reach JavaScript object internals); it cannot be a key or an id`;

/** Thrown by setIn for a path through a reserved name. */
export class ReservedKeyError extends Error {
  constructor(readonly key: string) {
    super(reservedKeyMessage(key));
    this.name = 'ReservedKeyError';
  }
}

const own = (o: object, k: string) => Object.hasOwn(o, k);

/** The value at the path, or undefined when any step is missing (inherited properties do not count). */
export function getIn(root: unknown, path: readonly PropertyKey[] | string): unknown {
  let v = root;
  for (const seg of typeof path === 'string' ? path.split('.') : path) {
    const k = String(seg);
    v = isObject(v) && own(v, k) ? v[k] : undefined;
  }
  return v;
}

/**
 * Sets the value at the path, creating missing mappings on the way. `null` deletes the key, as in
 * scenario files, unless `nullDeletes` is false (writing a file that must keep the `null`). Mutates `target`.
 * Throws ReservedKeyError, before changing anything, when a step is `__proto__`, `constructor` or `prototype`.
 *
 * @example
 * const o = {}; setIn(o, 'a.b', 1); o // => { a: { b: 1 } }
 */
export function setIn(target: Record<string, unknown>, path: readonly string[] | string, value: unknown, nullDeletes = true): void {
  const keys = typeof path === 'string' ? path.split('.') : path;
  const bad = keys.find((k) => RESERVED_KEYS.has(k));
  if (bad !== undefined) throw new ReservedKeyError(bad);
  const badInValue = reservedKeyPaths(value)[0];
  if (badInValue) throw new ReservedKeyError(badInValue[badInValue.length - 1]!);
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (!own(node, k) || !isObject(node[k]) || Array.isArray(node[k])) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === null && nullDeletes) delete node[last];
  else node[last] = value;
}

/**
 * Every path inside `value` that ends in a reserved key (as own properties: YAML and JSON parsers
 * create `__proto__` as an ordinary key). Iterative, so no depth of nesting overflows the stack.
 */
export function reservedKeyPaths(value: unknown, limit = 100): string[][] {
  interface Step {
    v: unknown;
    key: string;
    up: Step | undefined;
  }
  /** The keys from the root down to `st`, then `last` (the root step has no `up`). */
  const pathOf = (st: Step, last: string) => {
    const p = [last];
    for (let s: Step | undefined = st; s?.up; s = s.up) p.push(s.key);
    return p.reverse();
  };
  const out: string[][] = [];
  const stack: Step[] = [{ v: value, key: '', up: undefined }];
  const seen = new Set<object>();
  while (stack.length && out.length < limit) {
    const st = stack.pop()!;
    if (!isObject(st.v) || seen.has(st.v)) continue;
    seen.add(st.v);
    for (const k of Object.keys(st.v)) {
      if (RESERVED_KEYS.has(k)) out.push(pathOf(st, k));
      else stack.push({ v: st.v[k], key: k, up: st });
    }
  }
  return out;
}
