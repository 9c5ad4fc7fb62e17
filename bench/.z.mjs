import { z } from 'zod';

if (process.argv[2] === 'jitless') z.config({ jitless: true });
const { ScenarioSchema } = await import('../dist/scenario/schema.js');
const { parse } = await import('yaml');
const { readFileSync } = await import('node:fs');
const doc = parse(readFileSync('scenarios/pp18-options.yaml', 'utf8'));
let t = performance.now();
const r = ScenarioSchema.safeParse(doc);
const first = performance.now() - t;
t = performance.now();
for (let i = 0; i < 100; i++) ScenarioSchema.safeParse(doc);
console.log(process.argv[2] ?? 'jit', 'first', first.toFixed(1), 'next 100', (performance.now() - t).toFixed(1), r.success);
