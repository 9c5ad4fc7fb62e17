import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';

// Start-up (README, Performance): `--version` and `--help` load only commander and a few small modules;
// a command's module, and the heavy libraries it needs, load when it runs. Times are measured by
// `npm run bench`, not here; this checks the structure that makes them fast.

/** Relative modules a file imports statically (import … from, not import()). */
function staticImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].filter((m) => !/^import type/.test(m[0])).map((m) => m[1]!);
}

test('main.ts imports no command module, nor zod, yaml, exceljs, ink, react or mathjs, statically', () => {
  const imports = staticImports('src/cli/main.ts');
  expect(imports.filter((m) => m.includes('/commands/'))).toEqual([]);
  expect(imports.filter((m) => /^(zod|yaml|exceljs|ink|react|mathjs)$/.test(m))).toEqual([]);
  // what main.ts does import must stay light too (node built-ins, domain/ types and messages)
  for (const m of imports.filter((x) => x.startsWith('.'))) {
    const file = join('src/cli', m.replace(/\.js$/, '.ts'));
    for (const dep of staticImports(file)) expect(dep, `${file} imports ${dep}`).toMatch(/^(node:|\.\/defaults\.js$|\.\.\/domain\/)/);
  }
});

test('exceljs is imported when a workbook is written, not when the XLSX module loads', () => {
  expect(staticImports('src/export/xlsx.ts')).not.toContain('exceljs');
});

test('--version prints the version of package.json, and so does the JSON provenance', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(cli(['--version']).stdout).toBe(`${version}\n`);
  expect(cli(['-V']).stdout).toBe(`${version}\n`);
  expect(cli(['run', '--json']).stdout).toContain(`"version": "${version}"`);
});

test("the CLI runs from the bundle (scripts/bundle.mjs), and --help printed from its record equals commander's", () => {
  expect(existsSync(join(ROOT, 'dist/bundle/main.js'))).toBe(true);
  const direct = cli(['--help'], { env: { FEESIM_NO_HELP_CACHE: '1' } });
  expect(direct.code).toBe(0);
  expect(direct.stdout).toContain('Usage: feesim');
  for (const flag of ['--help', '-h']) {
    const r = cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
  }
});
