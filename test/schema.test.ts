import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { scenarioJsonSchema } from '../src/scenario/json-schema.js';

test('the shipped JSON Schema is the one generated from the zod schema (run `feesim schema -o schema/scenario.schema.json`)', () => {
  const shipped = JSON.parse(readFileSync(new URL('../schema/scenario.schema.json', import.meta.url), 'utf8'));
  expect(shipped).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
});

test('every shipped scenario points editors at the schema', () => {
  for (const f of ['pp18-options', 'option-sme-category', 'threshold-300', 'new-members-only']) {
    expect(readFileSync(new URL(`../scenarios/${f}.yaml`, import.meta.url), 'utf8')).toMatch(
      /^\$schema: \.\.\/schema\/scenario\.schema\.json$/m,
    );
  }
});
