import {
  betaSample,
  bonferroniLevel,
  erfc,
  gammaSample,
  hashSeed,
  holmAdjust,
  normalCdf,
  normalQuantile,
  probabilityBest,
  seededRng,
  thompsonPick,
  twoProportionTest,
} from './stats';

describe('the normal distribution', () => {
  it('erfc matches reference values to ~1e-15 relative error', () => {
    // Reference values from mpmath (50 digits), rounded to doubles.
    const ref: [number, number][] = [
      [0, 1],
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3.9, 3.479224859723177e-8],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
      [-0.3, 1.3286267594591274],
    ];
    for (const [x, v] of ref) expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-14);
  });

  it('Φ and Φ⁻¹ agree with the textbook values and invert each other', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalCdf(-1.6448536269514722)).toBeCloseTo(0.05, 15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    for (const p of [1e-8, 0.001, 0.02425, 0.3, 0.9, 0.999999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('the two-proportion z-test', () => {
  it('matches a hand computation', () => {
    // Control 200/1000 = 0.20, variant 250/1000 = 0.25.
    // pooled p̂ = 450/2000 = 0.225; SE₀ = √(0.225 · 0.775 · (1/1000 + 1/1000)) = √0.00034875 = 0.0186748...
    // z = 0.05 / 0.0186748 = 2.677398; p = 2(1 − Φ(2.677398)) = 0.0074196
    // Wald SE = √(0.2·0.8/1000 + 0.25·0.75/1000) = √0.0003475 = 0.0186414; 95% CI = 0.05 ± 1.959964 · 0.0186414
    //         = [0.013464, 0.086536]; lift = 0.05 / 0.20 = 25%.
    const t = twoProportionTest({ x: 200, n: 1000 }, { x: 250, n: 1000 });
    expect(t.rateA).toBe(0.2);
    expect(t.rateB).toBe(0.25);
    expect(t.difference).toBeCloseTo(0.05, 12);
    expect(t.lift).toBeCloseTo(0.25, 12);
    expect(t.z).toBeCloseTo(2.677398, 5);
    expect(t.pValue).toBeCloseTo(0.0074196, 6);
    expect(t.ci![0]).toBeCloseTo(0.013464, 5);
    expect(t.ci![1]).toBeCloseTo(0.086536, 5);
  });

  it('is symmetric: swapping the sides flips z and the interval, not the p-value', () => {
    const ab = twoProportionTest({ x: 30, n: 120 }, { x: 45, n: 130 });
    const ba = twoProportionTest({ x: 45, n: 130 }, { x: 30, n: 120 });
    expect(ba.z).toBeCloseTo(-ab.z!, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue!, 12);
    expect(ba.ci![0]).toBeCloseTo(-ab.ci![1], 12);
  });

  it('handles a variant with no conversions', () => {
    // 0/50 vs 5/50: p̂ = 5/100 = 0.05, SE₀ = √(0.05·0.95·(2/50)) = √0.0019 = 0.0435890; z = 0.1/0.0435890 = 2.294157
    // p = 2(1 − Φ(2.294157)) = 0.021781; lift undefined (control rate 0).
    const t = twoProportionTest({ x: 0, n: 50 }, { x: 5, n: 50 });
    expect(t.lift).toBeNull();
    expect(t.z).toBeCloseTo(2.294157, 5);
    expect(t.pValue).toBeCloseTo(0.021781, 5);
  });

  it('gives p = 1 when nothing converted on either side, and nulls without exposures', () => {
    const none = twoProportionTest({ x: 0, n: 40 }, { x: 0, n: 60 });
    expect(none).toMatchObject({ rateA: 0, rateB: 0, difference: 0, lift: null, z: null, pValue: 1, ci: [0, 0] });
    const empty = twoProportionTest({ x: 0, n: 0 }, { x: 3, n: 10 });
    expect(empty).toMatchObject({ rateA: null, rateB: 0.3, difference: null, z: null, pValue: null, ci: null });
  });

  it('refuses impossible counts', () => {
    expect(() => twoProportionTest({ x: 5, n: 4 }, { x: 1, n: 2 })).toThrow(RangeError);
    expect(() => twoProportionTest({ x: -1, n: 4 }, { x: 1, n: 2 })).toThrow(RangeError);
  });
});

describe('multiple comparisons', () => {
  it('Holm–Bonferroni: sorted p(i) times (m − i + 1), made monotone, capped at 1, in the input order', () => {
    // m = 4; sorted 0.005, 0.01, 0.03, 0.04 → ×4 = 0.02, ×3 = 0.03, ×2 = 0.06, ×1 = 0.04 → monotone 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 15));
    // Untested comparisons (null) stay null and do not count in m (here m = 2).
    const withNull = holmAdjust([null, 0.02, 0.04]);
    expect(withNull[0]).toBeNull();
    expect(withNull[1]).toBeCloseTo(0.04, 15);
    expect(withNull[2]).toBeCloseTo(0.04, 15);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    // One test: nothing to correct.
    expect(holmAdjust([0.0123])).toEqual([0.0123]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('Bonferroni confidence level: 1 − (1 − level)/m', () => {
    expect(bonferroniLevel(0.95, 1)).toBe(0.95);
    expect(bonferroniLevel(0.95, 0)).toBe(0.95);
    expect(bonferroniLevel(0.95, 2)).toBeCloseTo(0.975, 15);
    expect(bonferroniLevel(0.95, 4)).toBeCloseTo(0.9875, 15);
  });
});

describe('seeded randomness', () => {
  it('the same seed gives the same sequence, another seed another one', () => {
    const a = seededRng('exp\u0000cust-1');
    const b = seededRng('exp\u0000cust-1');
    const c = seededRng('exp\u0000cust-2');
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
    expect(hashSeed('abc')).toBe(hashSeed('abc'));
  });

  it('is uniform enough: mean ~0.5, every decile used', () => {
    const rng = seededRng(7);
    const deciles = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng();
      sum += x;
      deciles[Math.floor(x * 10)]++;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    for (const d of deciles) expect(d).toBeGreaterThan(1800);
  });

  it('Gamma and Beta draws have the right means', () => {
    const rng = seededRng('moments');
    const n = 20000;
    let g = 0;
    let gSmall = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      g += gammaSample(3, rng);
      gSmall += gammaSample(0.5, rng);
      b += betaSample(2, 8, rng);
    }
    expect(g / n).toBeCloseTo(3, 1); // E[Gamma(k)] = k
    expect(gSmall / n).toBeCloseTo(0.5, 1);
    expect(b / n).toBeCloseTo(0.2, 2); // E[Beta(a, b)] = a / (a + b) = 2/10
    expect(() => gammaSample(0, rng)).toThrow(RangeError);
  });
});

describe('Thompson sampling', () => {
  it('is deterministic for a seed and the same counts', () => {
    const arms = [
      { id: 'A', successes: 10, failures: 90 },
      { id: 'B', successes: 12, failures: 88 },
    ];
    const first = thompsonPick(arms, seededRng('welcome\u0000cust-9'));
    for (let i = 0; i < 5; i++) expect(thompsonPick(arms, seededRng('welcome\u0000cust-9'))).toBe(first);
  });

  it('sends most new subjects to the clearly better arm, and splits evenly without data', () => {
    const better = [
      { id: 'A', successes: 20, failures: 180 }, // 10%
      { id: 'B', successes: 60, failures: 140 }, // 30%
    ];
    let b = 0;
    for (let i = 0; i < 1000; i++) if (thompsonPick(better, seededRng(`exp\u0000cust-${i}`)) === 'B') b++;
    expect(b).toBeGreaterThan(990);

    const fresh = [
      { id: 'A', successes: 0, failures: 0 },
      { id: 'B', successes: 0, failures: 0 },
      { id: 'C', successes: 0, failures: 0 },
    ];
    const counts: Record<string, number> = { A: 0, B: 0, C: 0 };
    for (let i = 0; i < 3000; i++) counts[thompsonPick(fresh, seededRng(`exp\u0000cust-${i}`))]++;
    for (const id of ['A', 'B', 'C']) expect(counts[id]).toBeGreaterThan(850);
  });

  it('probabilityBest sums to 1 and favours the better arm', () => {
    const p = probabilityBest([
      { id: 'A', successes: 5, failures: 95 },
      { id: 'B', successes: 9, failures: 91 },
    ]);
    expect(p.A + p.B).toBeCloseTo(1, 10);
    expect(p.B).toBeGreaterThan(0.8);
    expect(probabilityBest([])).toEqual({});
  });
});
