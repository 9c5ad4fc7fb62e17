import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

/**
 * The JSON Schema published for editors (schema/scenario.schema.json). `required` lists are dropped
 * because a file that `extends:` another legitimately sets only a few keys; feesim itself validates
 * the merged scenario with the full zod schema.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== 'required')
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return {
    ...(strip(schema) as Record<string, unknown>),
    title: 'feesim scenario',
    description: 'Scenario file for feesim (docs/scenario-format.md). Generated from the zod schema: do not edit.',
  };
}
