import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

// The project's own sources page (docs/sources.md) is the one place citations point to. Every
// "fact N.N" cited in the shipped data, scenarios, docs and source must exist there, and nothing may
// point outside the project (a reader of an export cannot follow ../shared/).
const root = resolve(import.meta.dirname, '..');
const sourcesPage = readFileSync(join(root, 'docs/sources.md'), 'utf8');
const defined = new Set([...sourcesPage.matchAll(/^\| (\d+\.\d+) \|/gm)].map((m) => m[1]!));

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) return files(rel);
    return /\.(ts|tsx|md|yaml|csv)$/.test(name) && !name.startsWith('roster-synthetic') ? [rel] : [];
  });
}
const cited = ['src', 'data', 'docs', 'scenarios'].flatMap(files).concat('README.md');

/** "fact 2.2", "facts 2.1, 2.2", "facts 3.1-3.4", "facts 9.2 (H), 9.10 (L)": every number of the list. */
const CITATION = /\bfacts? (\d+\.\d+(?:\s*(?:\([^)]*\))?\s*(?:,|\/|-|and)\s*\d+\.\d+)*)/g;

describe('docs/sources.md', () => {
  test('numbers its facts uniquely', () => {
    const all = [...sourcesPage.matchAll(/^\| (\d+\.\d+) \|/gm)].map((m) => m[1]);
    expect(all.length).toBeGreaterThan(80);
    expect(new Set(all).size).toBe(all.length);
  });
  test('every source tag used on the page is in its source list', () => {
    const listed = new Set([...sourcesPage.matchAll(/^- \[(S\d+)\]/gm)].map((m) => m[1]));
    const used = new Set([...sourcesPage.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]));
    expect([...used].filter((s) => !listed.has(s))).toEqual([]);
  });
  test('every fact cited in src, data, docs, scenarios and the README exists', () => {
    const missing: string[] = [];
    for (const f of cited) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(CITATION))
        for (const n of m[1]!.matchAll(/\d+\.\d+/g)) if (!defined.has(n[0])) missing.push(`${f}: fact ${n[0]}`);
    }
    expect(missing).toEqual([]);
  });
  test('nothing refers to material outside the project', () => {
    const outside = cited.filter((f) => /shared\/|itu-facts/.test(readFileSync(join(root, f), 'utf8')));
    expect(outside).toEqual([]);
  });
});
