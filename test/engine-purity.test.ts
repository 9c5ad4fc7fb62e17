import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const PURE = ['src/engine', 'src/scenario', 'src/roster', 'src/fees', 'src/results', 'src/domain', 'src/tools'];

test.each(PURE)('%s does no I/O and imports no UI', (dir) => {
  for (const f of files(dir)) {
    const text = readFileSync(f, 'utf8');
    expect(text, f).not.toMatch(/from ['"](node:)?(fs|process|child_process|worker_threads|os)['"]/);
    expect(text, f).not.toMatch(/from ['"](ink|react)['"]/);
    expect(text, f).not.toMatch(/\bprocess\.|console\.|Math\.random|Date\.now|new Date\(/);
  }
});
