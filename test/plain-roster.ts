import { type Roster, textValues } from '../src/domain/roster.js';

/** A roster with its text columns as plain arrays, to compare with toEqual whatever column type holds them. */
export function plainRoster(r: Roster): Roster {
  return {
    ...r,
    id: textValues(r.id),
    entity: textValues(r.entity),
    name: textValues(r.name),
    country: textValues(r.country),
    parentHq: textValues(r.parentHq),
  };
}

/** A parse result ({ roster?, issues }) with plainRoster applied. */
export function plainResult<T extends { roster?: Roster }>(r: T): T {
  return r.roster ? { ...r, roster: plainRoster(r.roster) } : r;
}
