import { fees } from './fees.js';
import { members } from './members.js';
import { overview } from './overview.js';
import { parameters } from './parameters.js';
import { sensitivity } from './sensitivity.js';
import { threshold } from './threshold.js';
import type { ViewDef } from './types.js';

/** Every view, in the order of their keys 1–6 and of the tab bar. A new view is a file here and an entry in this list. */
export const VIEWS: readonly ViewDef[] = [overview, threshold, fees, sensitivity, members, parameters];

export const viewOf = (id: ViewDef['id']): ViewDef => VIEWS.find((v) => v.id === id)!;
