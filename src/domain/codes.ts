/**
 * The small closed vocabularies every layer shares. Stored as small integers in typed arrays
 * (see domain/roster.ts), spelled as strings in files and output.
 */
export const CATEGORIES = ['sector-member', 'associate', 'academia', 'sme-pilot', 'exempt'] as const;
export type Category = (typeof CATEGORIES)[number];
/** Integer codes of CATEGORIES (index into it). */
export const Cat = { SectorMember: 0, Associate: 1, Academia: 2, SmePilot: 3, Exempt: 4 } as const;

export const SECTORS = ['R', 'T', 'D'] as const;
export type Sector = (typeof SECTORS)[number];
export const SECTOR_NAMES: Record<Sector, string> = { R: 'ITU-R', T: 'ITU-T', D: 'ITU-D' };

export const DEV_STATUSES = ['developed', 'developing', 'least-developed'] as const;
export type DevStatus = (typeof DEV_STATUSES)[number];
/** Integer codes of DEV_STATUSES (index into it). */
export const Dev = { Developed: 0, Developing: 1, LeastDeveloped: 2 } as const;

/** Fees and discounts distinguish two groups only: least-developed countries count as developing. */
export type FeeGroup = 'developed' | 'developing';
export const feeGroupOf = (dev: number): FeeGroup => (dev === Dev.Developed ? 'developed' : 'developing');

/** Categories that pay a fee today and could switch to a cheaper arrangement. */
export const isIncumbentPayer = (cat: number): boolean => cat === Cat.SectorMember || cat === Cat.Associate;
