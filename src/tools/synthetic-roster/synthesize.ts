import { CATEGORIES, Cat, Dev, SECTORS, type Sector } from '../../domain/codes.js';
import { compareText } from '../../domain/compare-text.js';
import type { MemberRow } from '../../domain/roster.js';
import { quantile } from '../../engine/random/distributions.js';
import { streamFor, type Uniform } from '../../engine/random/streams.js';
import { formatClass } from '../../fees/fee-schedule.js';
import type { CountryTable } from '../../roster/countries.js';
import { readCsvRecords } from '../../roster/csv-records.js';
import { syntheticMark } from '../../roster/parse-roster.js';

/**
 * A synthetic roster calibrated to published figures (docs/synthetic-roster.md). The real roster
 * with headcounts is not public. Counts per Sector, category and class are fixed quotas, so the
 * calibration targets hold for every seed; the seed only decides who is where and how large.
 *
 * Quotas and their sources (fact numbers of docs/sources.md):
 * - Sector Member memberships R 265, T 270, D 145; Associates R 25, T 80, D 15; Academia 160: 6.6 [MEM] L,
 *   academia ">150" 6.1 [S14] H.
 * - 117 exempt organizations, spread over the Sectors' Sector Member counts: 6.5 [S17] H.
 * - classes chosen so that paid units total about 270 (8.1, 250-280 [DERIVED] M) split about R 117,
 *   T 126, D 28 (8.2 [ASSUMPTION] L); Associate and Academia income then fall in 7.x ranges.
 * - size: 41 entities with at most 250 employees (6.3, "41 SMEs are ITU Associates or Sector Members",
 *   Mar 2018, [S10] H) and 16 more memberships between 251 and 300, so that more than 60 memberships
 *   have at most 300 employees (report to PP-18 §4.3). Larger members: 301 + lognormal headcount.
 * - fee rules (facts 2.2-2.4): the reduced ITU-R/T classes go to entities in developing countries with
 *   per-capita income below the fee schedule's limit; other developing-country slots to any developing
 *   country; some large developing-country members are subsidiaries of developed-country groups
 *   (parent_hq_country), and those hold no reduced class and pay developed-country rates.
 */
/** The country status a membership slot needs: its class or rate depends on it (docs/model.md §0). */
type SlotStatus = 'developed' | 'developing' | 'low-income';
type Slot = { sector: Sector; category: number; classUnits?: number; status: SlotStatus };

/** ITU-R/T classes reserved for low-income developing countries (data/fee-schedule.yaml, fact 2.2). */
const REDUCED_RT = new Set([0.25, 0.125, 0.0625]);

const SM_QUOTAS: Record<Sector, { exempt: number; classes: [units: number, count: number, developingShare: number][] }> = {
  R: {
    exempt: 45,
    classes: [
      [0.5, 150, 0],
      [0.5, 20, 1],
      [0.25, 12, 1],
      [0.125, 10, 1],
      [0.0625, 8, 1],
      [1, 14, 0.2],
      [2, 5, 0.2],
      [3, 1, 0],
    ],
  },
  T: {
    exempt: 40,
    classes: [
      [0.5, 155, 0],
      [0.5, 22, 1],
      [0.25, 14, 1],
      [0.125, 10, 1],
      [0.0625, 6, 1],
      [1, 16, 0.2],
      [2, 6, 0.2],
      [4, 1, 0],
    ],
  },
  D: {
    exempt: 32,
    classes: [
      [0.125, 48, 0.375],
      [0.0625, 25, 1],
      [0.25, 20, 0.3],
      [0.5, 12, 0.2],
      [1, 7, 0.15],
      [2, 1, 0],
    ],
  },
};
const ASSOCIATES: Record<Sector, [count: number, developingShare: number]> = { R: [25, 0.3], T: [80, 0.3], D: [15, 0.4] };
const ACADEMIA = { count: 160, developingShare: 0.4 };
const SME_ENTITIES_AT_250 = 41;
const SME_MEMBERSHIPS_AT_250 = 50;
const MEMBERSHIPS_251_TO_300 = 16;
const ENTITIES_251_TO_300 = 13;
/** Share of developing-country entities from a least developed country: ASSUMPTION. */
const LDC_SHARE = 0.12;

function shuffle<T>(items: T[], u: Uniform): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function buildSlots(): Slot[] {
  const slots: Slot[] = [];
  for (const sector of SECTORS) {
    for (const [units, count, devShare] of SM_QUOTAS[sector].classes) {
      const nDev = Math.round(count * devShare);
      const reduced: SlotStatus = sector !== 'D' && REDUCED_RT.has(units) ? 'low-income' : 'developing';
      for (let k = 0; k < count; k++)
        slots.push({ sector, category: Cat.SectorMember, classUnits: units, status: k < nDev ? reduced : 'developed' });
    }
    const [nAssoc, devShare] = ASSOCIATES[sector];
    for (let k = 0; k < nAssoc; k++)
      slots.push({ sector, category: Cat.Associate, status: k < Math.round(nAssoc * devShare) ? 'developing' : 'developed' });
  }
  return slots;
}

interface Entity {
  slots: Slot[];
  status: SlotStatus;
  band: 'A' | 'B' | 'L';
}

/** Groups memberships into entities: same country status, distinct Sectors, at most 3. */
function groupIntoEntities(slots: Slot[], band: Entity['band'], targetEntities: number | undefined, attachP: number, u: Uniform): Entity[] {
  const entities: Entity[] = [];
  let merges = targetEntities === undefined ? Infinity : slots.length - targetEntities;
  for (const s of slots) {
    const host =
      merges > 0 && (targetEntities !== undefined || u() < attachP)
        ? [...entities]
            .reverse()
            .find((e) => e.status === s.status && e.slots.length < (band === 'L' ? 3 : 2) && !e.slots.some((x) => x.sector === s.sector))
        : undefined;
    if (host) {
      host.slots.push(s);
      merges--;
    } else entities.push({ slots: [s], status: s.status, band });
  }
  return entities;
}

export interface PilotParticipant {
  no: number;
  name: string;
  country: string;
  sectors: Sector[];
  studyGroups: string;
  employees: number;
}

export function parsePilotSmes(text: string): PilotParticipant[] {
  const [header, ...rows] = readCsvRecords(text).records;
  const col = (name: string) => header!.cells.indexOf(name);
  return rows.map((r) => ({
    no: Number(r.cells[col('no')]),
    name: r.cells[col('name')]!,
    country: r.cells[col('country')]!,
    sectors: r.cells[col('sectors')]!.split(';') as Sector[],
    studyGroups: r.cells[col('study_groups')]!,
    employees: Number(r.cells[col('employees')]),
  }));
}

/** Share of large developing-country members (not independent, no reduced class) that are subsidiaries of a developed-country group: ASSUMPTION. */
const SUBSIDIARY_SHARE = 0.5;

/**
 * The synthetic roster's rows for a seed. `lowIncomeLimitUsd` is the fee schedule's income limit of the
 * reduced ITU-R/T classes: members holding one are placed in countries below it.
 */
export function synthesizeRoster(
  seed: number,
  countries: CountryTable,
  pilots: PilotParticipant[],
  lowIncomeLimitUsd: number,
): MemberRow[] {
  const u = streamFor(seed, 'roster-synth');
  const pools = {
    developed: [] as string[],
    developing: [] as string[],
    ldc: [] as string[],
    lowIncome: [] as string[],
    ldcLowIncome: [] as string[],
  };
  for (const [iso, c] of [...countries].sort((a, b) => compareText(a[0], b[0]))) {
    (c.dev === Dev.Developed ? pools.developed : c.dev === Dev.Developing ? pools.developing : pools.ldc).push(iso);
    if (c.dev === Dev.Developing && c.gniPerCapitaUsd < lowIncomeLimitUsd) pools.lowIncome.push(iso);
    if (c.dev === Dev.LeastDeveloped && c.gniPerCapitaUsd < lowIncomeLimitUsd) pools.ldcLowIncome.push(iso);
  }
  // Subsidiary flags draw from their own stream, so that adding them moved no other draw.
  const uSub = streamFor(seed, 'roster-synth-subsidiary');
  const pick = (list: string[]) => list[Math.floor(u() * list.length)]!;
  const countryFor = (status: SlotStatus) =>
    status === 'developed'
      ? pick(pools.developed)
      : u() < LDC_SHARE
        ? pick(status === 'low-income' ? pools.ldcLowIncome : pools.ldc)
        : status === 'low-income'
          ? pick(pools.lowIncome)
          : pick(pools.developing);
  const member = (iso: string) => ({ country: iso, dev: countries.get(iso)!.dev, gniPerCapitaUsd: countries.get(iso)!.gniPerCapitaUsd });

  const paying = shuffle(buildSlots(), u);
  const small = paying.filter((s) => s.category === Cat.Associate || (s.classUnits ?? 1) <= 0.5);
  const bandA = small.slice(0, SME_MEMBERSHIPS_AT_250);
  const bandB = small.slice(SME_MEMBERSHIPS_AT_250, SME_MEMBERSHIPS_AT_250 + MEMBERSHIPS_251_TO_300);
  const taken = new Set([...bandA, ...bandB]);
  const large = paying.filter((s) => !taken.has(s));
  const entities = [
    ...groupIntoEntities(bandA, 'A', SME_ENTITIES_AT_250, 0, u),
    ...groupIntoEntities(bandB, 'B', ENTITIES_251_TO_300, 0, u),
    ...groupIntoEntities(large, 'L', undefined, 0.4, u),
  ];

  const rows: MemberRow[] = [];
  const seq: Record<Sector, number> = { R: 0, T: 0, D: 0 };
  const nextId = (sector: Sector) => `${sector}-${String(++seq[sector]).padStart(4, '0')}`;
  const logNormal = (median: number, sigma: number) =>
    quantile(
      {
        dist: 'lognormal',
        mean: median * Math.exp((sigma * sigma) / 2),
        sd: median * Math.exp((sigma * sigma) / 2) * Math.sqrt(Math.exp(sigma * sigma) - 1),
      },
      u(),
    );
  entities.forEach((e, k) => {
    const entity = `E-${String(k + 1).padStart(4, '0')}`;
    const country = countryFor(e.status);
    const employees =
      e.band === 'A'
        ? Math.round(Math.exp(Math.log(3) + u() * (Math.log(250) - Math.log(3))))
        : e.band === 'B'
          ? 251 + Math.floor(u() * 50)
          : Math.min(400_000, 301 + Math.round(logNormal(3000, 1.5)));
    const turnoverUsd = Math.round(employees * logNormal(180_000, 0.5));
    const independent = e.band === 'L' ? u() < 0.15 : u() < 0.9;
    const subsidiary =
      e.band === 'L' &&
      !independent &&
      e.status === 'developing' &&
      !e.slots.some((s) => s.classUnits !== undefined && s.classUnits < (s.sector === 'D' ? 0.125 : 0.5)) &&
      uSub() < SUBSIDIARY_SHARE;
    const parentHq = subsidiary ? pools.developed[Math.floor(uSub() * pools.developed.length)]! : '';
    for (const s of e.slots) {
      rows.push({
        id: nextId(s.sector),
        entity,
        name: `Synthetic ${e.band === 'L' ? 'Corp' : 'SME'} ${entity.slice(2)}`,
        category: s.category,
        sector: s.sector,
        ...member(country),
        parentHq,
        fullFee: subsidiary,
        employees,
        turnoverUsd,
        classUnits: s.classUnits,
        independent,
        meetingsPerYear: undefined,
      });
    }
  });
  // Exempt international and regional organizations: they pay nothing and are never eligible.
  for (const sector of SECTORS) {
    for (let k = 0; k < SM_QUOTAS[sector].exempt; k++) {
      const id = nextId(sector);
      const country = pick(pools.developed.concat(pools.developing));
      rows.push({
        id,
        entity: `X-${id}`,
        name: `Synthetic international organization ${id}`,
        category: Cat.Exempt,
        sector,
        ...member(country),
        employees: NaN,
        independent: true,
      });
    }
  }
  for (let k = 0; k < ACADEMIA.count; k++) {
    const sector = SECTORS[Math.floor(u() * 3)]!;
    const developing = k < Math.round(ACADEMIA.count * ACADEMIA.developingShare);
    const country = countryFor(developing ? 'developing' : 'developed');
    const id = nextId(sector);
    rows.push({
      id,
      entity: `A-${String(k + 1).padStart(4, '0')}`,
      name: `Synthetic university ${k + 1}`,
      category: Cat.Academia,
      sector,
      ...member(country),
      employees: NaN,
      independent: true,
    });
  }
  for (const p of pilots) {
    for (const sector of p.sectors) {
      rows.push({
        id: `P-${String(p.no).padStart(2, '0')}-${sector}`,
        entity: `PILOT-${String(p.no).padStart(2, '0')}`,
        name: p.name,
        category: Cat.SmePilot,
        sector,
        country: p.country,
        dev: countries.get(p.country)?.dev ?? Dev.Developing,
        gniPerCapitaUsd: countries.get(p.country)?.gniPerCapitaUsd,
        employees: p.employees,
        independent: true,
      });
    }
  }
  return rows;
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The roster CSV text, with the synthetic marker comment that labels it wherever it is loaded. */
export function rosterCsv(rows: MemberRow[], seed: number): string {
  const lines = [
    `# ${syntheticMark(seed)}`,
    '# SYNTHETIC roster generated by `feesim roster synth`: not real ITU members. Calibrated to published',
    '# figures (docs/synthetic-roster.md); headcounts of the 22 pilot SMEs are an assumption (data/pilot-smes.csv).',
    'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year,parent_hq_country',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.entity,
        csvCell(r.name),
        CATEGORIES[r.category]!,
        typeof r.sector === 'number' ? SECTORS[r.sector]! : r.sector,
        r.country,
        Number.isNaN(r.employees) ? '' : String(r.employees),
        r.turnoverUsd === undefined || Number.isNaN(r.turnoverUsd) ? '' : String(r.turnoverUsd),
        r.classUnits === undefined ? '' : formatClass(r.classUnits),
        r.independent ? 'true' : 'false',
        r.meetingsPerYear === undefined ? '' : String(r.meetingsPerYear),
        r.parentHq ?? '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
