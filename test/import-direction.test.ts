import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * The direction of imports between the layers of src/ (README, Architecture): the engine imports
 * nothing from the shells (cli, tui, export) nor from results; domain imports nothing from the rest;
 * the input layers (scenario, roster, fees) import no shell. Static and dynamic imports both count.
 */
const FORBIDDEN: Record<string, string[]> = {
  engine: ['cli', 'tui', 'export', 'results', 'tools'],
  domain: ['engine', 'scenario', 'roster', 'fees', 'results', 'export', 'cli', 'tui', 'tools'],
  scenario: ['cli', 'tui', 'export', 'results', 'tools'],
  roster: ['cli', 'tui', 'export', 'engine', 'tools'],
  fees: ['cli', 'tui', 'export', 'engine', 'tools'],
  results: ['cli', 'tui', 'export'],
  wasm: ['domain', 'engine', 'scenario', 'roster', 'fees', 'results', 'export', 'cli', 'tui', 'tools'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const layerOf = (file: string) => relative('src', file).split(/[\\/]/)[0]!;

test.each(Object.keys(FORBIDDEN))('src/%s imports only in the allowed direction', (layer) => {
  const offenders: string[] = [];
  for (const f of files(join('src', layer))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      const target = layerOf(relative('.', resolve(dirname(f), m[1]!)));
      if (FORBIDDEN[layer]!.includes(target)) offenders.push(`${f} → ${m[1]}`);
    }
  }
  expect(offenders).toEqual([]);
});
