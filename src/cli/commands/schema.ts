import { resolve } from 'node:path';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Io } from '../io.js';

export async function schemaCommand(opts: { output?: string }, io: Io): Promise<number> {
  const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  if (opts.output) await writeFileAtomic(resolve(opts.output), text);
  else io.out(text);
  return 0;
}
