/**
 * Reading and writing a scenario value at a dotted path (`options.sme-category.fee.T.developed`), the
 * way `--set`, sweeps, the explorer and saved scenarios address values.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The value at the path, or undefined when any step is missing. */
export function getIn(root: unknown, path: readonly PropertyKey[] | string): unknown {
  let v = root;
  for (const seg of typeof path === 'string' ? path.split('.') : path) v = isObject(v) ? v[String(seg)] : undefined;
  return v;
}

/**
 * Sets the value at the path, creating missing mappings on the way. `null` deletes the key, as in
 * scenario files, unless `nullDeletes` is false (writing a file that must keep the `null`). Mutates `target`.
 *
 * @example
 * const o = {}; setIn(o, 'a.b', 1); o // => { a: { b: 1 } }
 */
export function setIn(target: Record<string, unknown>, path: readonly string[] | string, value: unknown, nullDeletes = true): void {
  const keys = typeof path === 'string' ? path.split('.') : path;
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k]) || Array.isArray(node[k])) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === null && nullDeletes) delete node[last];
  else node[last] = value;
}
