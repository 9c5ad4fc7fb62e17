import { isUncertain, type Num } from '../scenario/distribution.js';
import { meanOf, quantile } from './random/distributions.js';

/**
 * The numeric assumptions of a scenario, each with a stable path id (e.g.
 * `options.sme-category.switchPropensity`). The engine reads them from a Float64Array of values:
 * the means for a deterministic run, one draw per parameter per Monte Carlo draw, medians and
 * P10/P90 for the tornado.
 */
export class ParamSet {
  readonly paths: string[] = [];
  readonly specs: Num[] = [];

  add(path: string, spec: Num): number {
    const existing = this.paths.indexOf(path);
    if (existing >= 0) return existing;
    this.paths.push(path);
    this.specs.push(spec);
    return this.paths.length - 1;
  }

  get size(): number {
    return this.paths.length;
  }

  /** Expected values: a deterministic run is the model at the means. */
  means(): Float64Array {
    return Float64Array.from(this.specs, meanOf);
  }

  /** Value of each parameter at probability p (fixed numbers stay put). */
  atQuantile(p: number): Float64Array {
    return Float64Array.from(this.specs, (s) => (isUncertain(s) ? quantile(s, p) : meanOf(s)));
  }

  uncertainIndices(): number[] {
    return this.specs.flatMap((s, i) => (isUncertain(s) ? [i] : []));
  }
}
