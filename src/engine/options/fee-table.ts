import { SECTOR_NAMES, SECTORS } from '../../domain/codes.js';
import type { FeeTableSpec } from '../../scenario/option-parts.js';
import type { FeeScaleCapability, ParamInfo } from './kind.js';
import { formatValue, listWords } from './plain.js';

/**
 * A fee per Sector and development group (unit fractions or CHF), shared by the kinds that charge a
 * membership fee of their own: the CHF amount, its plain-language description, its parameters, scaling.
 */
export function feeOf(table: FeeTableSpec, unit: number, sector: number, developed: boolean): number {
  const f = table[SECTORS[sector]!][developed ? 'developed' : 'developing'];
  return table.basis === 'unit-fraction' ? f * unit : f;
}

const fmt = (table: FeeTableSpec, v: number) => formatValue(v, table.basis === 'unit-fraction' ? 'unit-fraction' : 'chf');

/** "1/16 of the unit (ITU-D 1/32 of the unit), half for developing countries". */
export function describeFeeTable(table: FeeTableSpec): string {
  const main = table.T.developed;
  const others = SECTORS.filter((s) => table[s].developed !== main).map((s) => `${SECTOR_NAMES[s]} ${fmt(table, table[s].developed)}`);
  const head = others.length ? `${fmt(table, main)} (${others.join(', ')})` : fmt(table, main);
  const ratios = SECTORS.map((s) => (table[s].developed > 0 ? table[s].developing / table[s].developed : NaN));
  const r = ratios[0]!;
  let dev: string;
  if (ratios.every((x) => Math.abs(x - r) < 1e-12) && Number.isFinite(r))
    dev =
      r === 1
        ? 'the same for developing countries'
        : r === 0.5
          ? 'half for developing countries'
          : `${formatValue(r, 'percent')} of it for developing countries`;
  else dev = `developing countries ${listWords(SECTORS.map((s) => `${fmt(table, table[s].developing)} in ${SECTOR_NAMES[s]}`))}`;
  return `${head}, ${dev}`;
}

/** The fee table's entries in the parameter catalogue. */
export function feeTableParams(table: FeeTableSpec, prefix: string, what: string): ParamInfo[] {
  const unitFraction = table.basis === 'unit-fraction';
  return SECTORS.flatMap((s) =>
    (['developed', 'developing'] as const).map(
      (g): ParamInfo => ({
        path: `${prefix}.${s}.${g}`,
        name: `${what} (${SECTOR_NAMES[s]}, ${g})`,
        unit: unitFraction ? 'fraction of the Sector Member unit' : 'CHF a year',
        format: unitFraction ? 'unit-fraction' : 'chf',
        step: unitFraction ? 1 / 128 : 100,
        min: 0,
        max: unitFraction ? 1 : 1e6,
        editable: false,
        inSummary: true,
      }),
    ),
  );
}

/** The whole table times a factor (the revenue-neutral fee solver keeps its structure). */
export function scaleFeeTable(table: FeeTableSpec, factor: number): FeeTableSpec {
  const g = (x: { developed: number; developing: number }) => ({ developed: x.developed * factor, developing: x.developing * factor });
  return { ...table, R: g(table.R), T: g(table.T), D: g(table.D) };
}

export function feeTableChf(table: FeeTableSpec, unit: number): Record<string, number> {
  return Object.fromEntries(
    SECTORS.flatMap((s) =>
      (['developed', 'developing'] as const).map((g) => [`${s}.${g}`, (table.basis === 'unit-fraction' ? unit : 1) * table[s][g]]),
    ),
  );
}

/** The fee-scale capability of a kind whose fee table sits at `fee`. */
export function feeAtFieldScale<S extends { fee: FeeTableSpec }>(): FeeScaleCapability<S> {
  return {
    scale: (spec, factor) => ({ ...spec, fee: scaleFeeTable(spec.fee, factor) }),
    feesChf: (spec, unit) => feeTableChf(spec.fee, unit),
  };
}
