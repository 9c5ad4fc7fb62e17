// Loaded with `node --import` into every CLI process the tests start (test/helpers.ts `cli`): when the
// process ends, Object.prototype, Array.prototype and Function.prototype must hold exactly the
// properties they had at start-up (no key added, removed or replaced). Otherwise the exit code becomes
// 99 and stderr says what changed, so every CLI test is also a prototype-pollution test (issue 11).
const watched = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype };
const snapshot = (p) => new Map(Reflect.ownKeys(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)]));
const before = Object.entries(watched).map(([name, p]) => ({ name, p, keys: snapshot(p) }));
process.on('exit', () => {
  const changes = [];
  for (const { name, p, keys } of before) {
    const now = snapshot(p);
    for (const [k, d] of now) {
      const was = keys.get(k);
      if (!was) changes.push(`${name}.${String(k)} added`);
      else if (!Object.is(was.value, d.value) || was.get !== d.get || was.set !== d.set) changes.push(`${name}.${String(k)} replaced`);
    }
    for (const k of keys.keys()) if (!now.has(k)) changes.push(`${name}.${String(k)} removed`);
  }
  if (changes.length) {
    process.stderr.write(`PROTOTYPE POLLUTED: ${changes.join(', ')}\n`);
    process.exitCode = 99;
  }
});
