import { Cat } from '../domain/codes.js';
import type { Roster } from '../domain/roster.js';
import type { FeeSchedule } from '../fees/fee-schedule.js';
import { hashText } from './random/streams.js';

/** The roster with what the engine precomputes once: today's fees, per-member random keys, pilot rows. */
export interface Population {
  roster: Roster;
  fee: Float64Array;
  schedule: FeeSchedule;
  /**
   * hash of each member id: per-member draws are keyed by id, not row order. Worked out when first
   * read (only Monte Carlo draws read it: a deterministic run on a 1,000,000-row roster skips the
   * hashing of every id, ~30 ms).
   */
  readonly memberKey: Uint32Array;
  /** Rows of pilot participants. */
  pilotRows: Int32Array;
}

export function makePopulation(roster: Roster, fee: Float64Array, schedule: FeeSchedule): Population {
  const pilot: number[] = [];
  for (let i = 0; i < roster.size; i++) if (roster.category[i] === Cat.SmePilot) pilot.push(i);
  let memberKey: Uint32Array | undefined;
  return {
    roster,
    fee,
    schedule,
    get memberKey() {
      memberKey ??= memberKeys(roster);
      return memberKey;
    },
    pilotRows: Int32Array.from(pilot),
  };
}

/** Population.memberKey: each member id's hash. */
function memberKeys(roster: Roster): Uint32Array {
  const memberKey = new Uint32Array(roster.size);
  const ids = roster.id;
  for (let i = 0; i < roster.size; i++) memberKey[i] = ids.fnv1a ? ids.fnv1a(i) : hashText(ids.at(i)!);
  return memberKey;
}
