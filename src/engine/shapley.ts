/**
 * Shapley attribution of a joint effect to its parts: the average marginal contribution of each part
 * over every order of adding them, so the answer cannot depend on the order options are listed, and the
 * attributions sum to the joint effect. `value(mask)` is the effect of the subset in the bit mask;
 * value(0) is the baseline, 0.
 *
 * @example
 * shapley(2, (m) => [0, 10, 20, 25][m]!) // => [7.5, 17.5]
 */
export function shapley(n: number, value: (mask: number) => number): number[] {
  const fact = [1];
  for (let k = 1; k <= n; k++) fact.push(fact[k - 1]! * k);
  const cache = new Map<number, number>();
  const v = (m: number) => {
    if (m === 0) return 0;
    let r = cache.get(m);
    if (r === undefined) {
      r = value(m);
      cache.set(m, r);
    }
    return r;
  };
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < 1 << n; m++) {
      if (m & (1 << i)) continue;
      let size = 0;
      for (let b = m; b; b &= b - 1) size++;
      out[i]! += ((fact[size]! * fact[n - size - 1]!) / fact[n]!) * (v(m | (1 << i)) - v(m));
    }
  }
  return out;
}
