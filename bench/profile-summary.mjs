// Summarises a V8 .cpuprofile (node --cpu-prof): total time, self time by package/file, and inclusive
// time by package (any sample with a frame of the package on its stack, which for start-up is the cost
// of loading it). Usage: node bench/profile-summary.mjs <file.cpuprofile|dir> [top=20]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const arg = process.argv[2];
const top = Number(process.argv[3] ?? 20);
const file = statSync(arg).isDirectory()
  ? join(
      arg,
      readdirSync(arg)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()
        .at(-1),
    )
  : arg;
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const unit = (n) => {
  const u = n.callFrame.url;
  if (!u) return n.callFrame.functionName || '(anonymous)';
  const m = u.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const d = u.match(/\/(dist|src|bin)\/(.*)$/);
  return d ? `${d[1]}/${d[2]}` : u.replace(/^node:internal\/.*/, 'node:internal');
};
const self = new Map();
const incl = new Map();
const fnSelf = new Map();
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  let id = p.samples[i];
  const n0 = byId.get(id);
  self.set(unit(n0), (self.get(unit(n0)) ?? 0) + dt);
  const fk = `${n0.callFrame.functionName || '(anon)'} ${unit(n0)}:${n0.callFrame.lineNumber + 1}`;
  fnSelf.set(fk, (fnSelf.get(fk) ?? 0) + dt);
  const seen = new Set();
  while (id !== undefined) {
    const u = unit(byId.get(id));
    if (!seen.has(u)) {
      seen.add(u);
      incl.set(u, (incl.get(u) ?? 0) + dt);
    }
    id = parent.get(id);
  }
}
const show = (title, m, filter = () => true) => {
  console.log(title);
  for (const [k, v] of [...m]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
};
console.log(`${file}: ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms profiled`);
show('self time by package/file', self);
show('inclusive time by package (node_modules) and project file', incl, (k) => !k.startsWith('node:') && !k.startsWith('('));
show('self time by function', fnSelf);
