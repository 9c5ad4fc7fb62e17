import { resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { test } from 'vitest';
import { openSession } from '../src/cli/session.js';
import { App } from '../src/tui/app.js';
import { ROOT } from './helpers.js';
import { KEYS } from './keys.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
test('dump', async () => {
  const s = await openSession(resolve(ROOT, 'scenarios/pp18-options.yaml'), {});
  const rows = Number(process.env.ROWS ?? 24);
  const r = render(
    <App
      scenario={s.model.scenario}
      pop={s.pop}
      ctx={s.ctx}
      draws={Number(process.env.DRAWS ?? 0)}
      seed={7}
      columns={Number(process.env.COLS ?? 80)}
      rows={rows}
      color={false}
      onExport={async () => 'x'}
      onSave={async () => 'y'}
    />,
  );
  await sleep(50);
  const keys = JSON.parse(process.env.KEYSEQ ?? '[]') as string[];
  for (const k of keys) {
    r.stdin.write((KEYS as Record<string, string>)[k] ?? k);
    await sleep(60);
  }
  await sleep(Number(process.env.WAIT ?? 100));
  console.log(r.lastFrame());
});
