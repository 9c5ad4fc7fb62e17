import type { z } from 'zod';
import { ceasePilot } from './cease-pilot/index.js';
import { extendPilot } from './extend-pilot/index.js';
import { graduatedFee } from './graduated-fee/index.js';
import type { OptionKind } from './kind.js';
import { payAsYouGo } from './pay-as-you-go/index.js';
import { smeCategory } from './sme-category/index.js';
import type { CompiledOption, OptionContext } from './types.js';

/**
 * Every option kind, once. A new kind is a folder (engine/options/<kind>/) exporting an OptionKind,
 * and one entry here: the scenario schema's option union, OPTION_KINDS, the combination rule,
 * explain, key assumptions, the parameter catalogue, sweeps and solvers all derive from this list.
 */
export const KINDS = [smeCategory, payAsYouGo, extendPilot, ceasePilot, graduatedFee] as const;

type SpecOfKind<T> = T extends OptionKind<infer S> ? S : never;
/** A scenario's option spec: the union of every registered kind's spec. */
export type OptionSpec = SpecOfKind<(typeof KINDS)[number]>;

/** The option schemas in registry order (the members of the scenario schema's discriminated union). */
export const OPTION_SCHEMAS = KINDS.map((k) => k.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
export type OptionKindName = OptionSpec['kind'];
export type SpecOf<K extends OptionKindName> = Extract<OptionSpec, { kind: K }>;

export const OPTION_KINDS = KINDS.map((k) => k.kind) as readonly OptionKindName[];

/** Every kind by name: a mapped type, so a kind in the union without a registry entry does not compile. */
const BY_NAME: { [K in OptionKindName]: OptionKind<SpecOf<K>> } = Object.fromEntries(KINDS.map((k) => [k.kind, k])) as never;

/** The kind of a spec, typed for that spec (the one place the union is narrowed generically). */
export function kindOf<S extends OptionSpec>(spec: S): OptionKind<S> {
  return BY_NAME[spec.kind as OptionKindName] as unknown as OptionKind<S>;
}

export function compileOption(spec: OptionSpec, ctx: OptionContext): CompiledOption {
  return kindOf(spec).compile(spec, ctx);
}

/** Kinds that can be combined (each member takes its cheapest new arrangement). */
export const COMBINABLE_KINDS = KINDS.filter((k) => k.capabilities.combinable).map((k) => k.kind) as readonly OptionKindName[];
