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
export function plainResult<T extends { roster?: Roster; issues: unknown[] }>(
  r: T,
): { roster?: ReturnType<typeof plainRoster>; issues: T['issues'] } {
  // the roster and its problems (the reader's warnings are checked by their own tests)
  return r.roster ? { roster: plainRoster(r.roster), issues: r.issues } : { issues: r.issues };
}
