import type { Sector } from './codes.js';

/** Where a roster came from. A synthetic roster is labelled as such wherever it shows. */
export type RosterProvenance =
  | { kind: 'synthetic'; seed: number; label: string; file?: string }
  | { kind: 'file'; label: string; file: string };

/**
 * A column of text, one value per row: a plain `string[]` (rosterFromRows, tests, the synthetic
 * roster) or a roster file's text read in place (roster/text-column.ts: no string per row until one
 * is asked for). Rows are 0 … length − 1.
 */
export interface TextColumn {
  readonly length: number;
  at(i: number): string | undefined;
  /** The first row holding `value`, or −1. */
  indexOf(value: string): number;
  /**
   * FNV-1a over the UTF-16 code units of row i's value (engine/random/streams.ts hashText), when the
   * column can compute it without making the string (a roster file's text read in place).
   */
  fnv1a?(i: number): number;
  /** Every row's value, when the column makes them faster all at once than one by one. */
  allValues?(): string[];
}

/** A text column's values as an array (tests, small rosters, the roster sent to worker threads). */
export function textValues(c: TextColumn): string[] {
  return c.allValues ? c.allValues() : Array.from({ length: c.length }, (_, i) => c.at(i)!);
}

/**
 * The population: one entry per membership, stored column-wise in typed arrays so that the engine
 * can loop over members without allocating objects (OpenFisca's "population" kept apart from the
 * parameters and the computation). Unknown numbers are NaN.
 */
export interface Roster {
  provenance: RosterProvenance;
  size: number;
  id: TextColumn;
  entity: TextColumn;
  /** Each row's entity as a number, 0 … entityCount − 1 in order of first appearance (rows of one entity share it). */
  entityIndex: Int32Array;
  entityCount: number;
  name: TextColumn;
  country: TextColumn;
  /** Cat codes (domain/codes.ts). */
  category: Uint8Array;
  /** Index into SECTORS. */
  sector: Uint8Array;
  /** Dev codes, from the country table. */
  dev: Uint8Array;
  /** Per-capita income (USD) of the member's country, from the country table; NaN when unknown. */
  gniPerCapitaUsd: Float64Array;
  /** ISO code of the parent group's headquarters country ('' when none is given). */
  parentHq: TextColumn;
  /** 1 for a subsidiary of a multinational headquartered in a developed country: it pays the full fee. */
  fullFee: Uint8Array;
  employees: Float64Array;
  turnoverUsd: Float64Array;
  classUnits: Float64Array;
  /** 1 when not part of a larger group. */
  independent: Uint8Array;
  meetingsPerYear: Float64Array;
  /** 1-based source line of each row (for messages), 0 for generated rows. */
  line: Uint32Array;
}

/** A row as plain data, the shape used to build rosters and in tests. */
export interface MemberRow {
  id: string;
  entity: string;
  name: string;
  category: number;
  sector: Sector | number;
  country: string;
  dev: number;
  gniPerCapitaUsd?: number;
  parentHq?: string;
  /** Subsidiary of a developed-country multinational (pays the full fee). */
  fullFee?: boolean;
  employees: number;
  turnoverUsd?: number;
  classUnits?: number;
  independent: boolean;
  meetingsPerYear?: number;
  line?: number;
}

const SECTOR_INDEX: Record<Sector, number> = { R: 0, T: 1, D: 2 };

export function rosterFromRows(rows: readonly MemberRow[], provenance: RosterProvenance): Roster {
  const n = rows.length;
  const id: string[] = new Array(n);
  const entity: string[] = new Array(n);
  const name: string[] = new Array(n);
  const country: string[] = new Array(n);
  const parentHq: string[] = new Array(n);
  const r: Roster = {
    provenance,
    size: n,
    id,
    entity,
    entityIndex: new Int32Array(n),
    entityCount: 0,
    name,
    country,
    category: new Uint8Array(n),
    sector: new Uint8Array(n),
    dev: new Uint8Array(n),
    gniPerCapitaUsd: new Float64Array(n),
    parentHq,
    fullFee: new Uint8Array(n),
    employees: new Float64Array(n),
    turnoverUsd: new Float64Array(n),
    classUnits: new Float64Array(n),
    independent: new Uint8Array(n),
    meetingsPerYear: new Float64Array(n),
    line: new Uint32Array(n),
  };
  const entities = new Map<string, number>();
  rows.forEach((m, i) => {
    id[i] = m.id;
    entity[i] = m.entity;
    let e = entities.get(m.entity);
    if (e === undefined) {
      e = entities.size;
      entities.set(m.entity, e);
    }
    r.entityIndex[i] = e;
    name[i] = m.name;
    country[i] = m.country;
    r.category[i] = m.category;
    r.sector[i] = typeof m.sector === 'number' ? m.sector : SECTOR_INDEX[m.sector];
    r.dev[i] = m.dev;
    r.gniPerCapitaUsd[i] = m.gniPerCapitaUsd ?? NaN;
    parentHq[i] = m.parentHq ?? '';
    r.fullFee[i] = m.fullFee ? 1 : 0;
    r.employees[i] = m.employees;
    r.turnoverUsd[i] = m.turnoverUsd ?? NaN;
    r.classUnits[i] = m.classUnits ?? NaN;
    r.independent[i] = m.independent ? 1 : 0;
    r.meetingsPerYear[i] = m.meetingsPerYear ?? NaN;
    r.line[i] = m.line ?? 0;
  });
  r.entityCount = entities.size;
  return r;
}
