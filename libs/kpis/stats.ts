/**
 * Pure statistics for experiments: the two-proportion z-test, the normal distribution, confidence
 * intervals, the Holm–Bonferroni correction for multiple comparisons, and Beta sampling with a
 * seeded, deterministic PRNG for Thompson sampling.
 *
 * No I/O, no clock, no Math.random: safe to import from workflows, activities, the API and the UI.
 */

// ---- the normal distribution -------------------------------------------------------------------

/**
 * erfc(x) by W. J. Cody's rational Chebyshev approximations (as in many libm implementations):
 * relative error below 1e-15 over the whole real line, so p-values down to ~1e-300 are exact enough.
 * The coefficients are written as the doubles the published 18-digit ones round to (same values).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  let result: number;
  if (ax < 0.5) {
    // erf by a rational function of x^2
    const t = x * x;
    const p = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
    const q = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
    let num = p[4] * t;
    let den = t;
    for (let i = 0; i < 3; i++) {
      num = (num + p[i]) * t;
      den = (den + q[i]) * t;
    }
    const erf = (x * (num + p[3])) / (den + q[3]);
    return 1 - erf;
  }
  if (ax < 4) {
    const c = [
      0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972,
      2.1531153547440383e-8,
    ];
    const d = [
      15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216,
      1230.3393548037495,
    ];
    let num = c[8] * ax;
    let den = ax;
    for (let i = 0; i < 7; i++) {
      num = (num + c[i]) * ax;
      den = (den + d[i]) * ax;
    }
    result = (num + c[7]) / (den + d[7]);
  } else {
    const p = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378, 0.016315387137302097];
    const q = [2.568520192289822, 1.8729528499234673, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
    const z = 1 / (ax * ax);
    let num = p[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + p[i]) * z;
      den = (den + q[i]) * z;
    }
    result = (z * (num + p[4])) / (den + q[4]);
    result = (1 / Math.sqrt(Math.PI) - result) / ax;
  }
  // exp(-x^2) split in two factors to keep precision for large x
  const xsq = Math.trunc(ax * 16) / 16;
  const del = (ax - xsq) * (ax + xsq);
  result = Math.exp(-xsq * xsq) * Math.exp(-del) * result;
  return x < 0 ? 2 - result : result;
}

/** Φ(z): the standard normal cumulative distribution function. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Φ⁻¹(p): the standard normal quantile, by Acklam's algorithm refined with one Halley step
 * (full double precision). normalQuantile(0.975) = 1.959963984540054.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One step of Halley's method against the precise CDF.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

// ---- two proportions ---------------------------------------------------------------------------

export interface Proportion {
  /** Successes (conversions). */
  x: number;
  /** Trials (exposures). */
  n: number;
}

export interface TwoProportionResult {
  /** Rate of the control (a) and of the variant (b); null without trials. */
  rateA: number | null;
  rateB: number | null;
  /** rateB - rateA; null when either side has no trials. */
  difference: number | null;
  /** (rateB - rateA) / rateA; null when rateA is 0 or unknown. */
  lift: number | null;
  /** z statistic of the pooled two-proportion test; null when it is undefined (no trials, or pooled rate 0 or 1). */
  z: number | null;
  /**
   * Two-sided p-value. 1 when both sides are identical in every respect the test sees (pooled rate 0
   * or 1: no variance, no evidence of a difference); null without trials on either side.
   */
  pValue: number | null;
  /** Confidence interval of `difference` (Wald, unpooled standard error); null without trials. */
  ci: [number, number] | null;
  level: number;
}

/**
 * The two-proportion z-test of b against a:
 *   p̂ = (xa + xb) / (na + nb),  SE₀ = √(p̂(1 − p̂)(1/na + 1/nb)),  z = (p̂b − p̂a) / SE₀,
 *   p = 2(1 − Φ(|z|)),
 * and the Wald interval of the difference: (p̂b − p̂a) ± z₁₋α/₂ √(p̂a(1 − p̂a)/na + p̂b(1 − p̂b)/nb).
 */
export function twoProportionTest(a: Proportion, b: Proportion, level = 0.95): TwoProportionResult {
  check(a);
  check(b);
  const rateA = a.n > 0 ? a.x / a.n : null;
  const rateB = b.n > 0 ? b.x / b.n : null;
  if (rateA === null || rateB === null) {
    return { rateA, rateB, difference: null, lift: null, z: null, pValue: null, ci: null, level };
  }
  const difference = rateB - rateA;
  const lift = rateA > 0 ? difference / rateA : null;
  const pooled = (a.x + b.x) / (a.n + b.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  let z: number | null = null;
  let pValue: number;
  if (se0 > 0) {
    z = difference / se0;
    pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  } else {
    pValue = 1;
  }
  const critical = normalQuantile(1 - (1 - level) / 2);
  const se = Math.sqrt((rateA * (1 - rateA)) / a.n + (rateB * (1 - rateB)) / b.n);
  const ci: [number, number] = [difference - critical * se, difference + critical * se];
  return { rateA, rateB, difference, lift, z, pValue, ci, level };
}

// ---- multiple comparisons ----------------------------------------------------------------------

/**
 * Holm–Bonferroni adjusted p-values (Holm 1979), in the input order: with the m p-values sorted
 * ascending p(1) ≤ … ≤ p(m), adjusted p(i) = max over j ≤ i of min(1, (m − j + 1)·p(j)). Rejecting
 * where the adjusted value is below α keeps the family-wise error rate at α, whatever the dependence
 * between the tests, and is never less powerful than plain Bonferroni. Nulls (tests that could not be
 * run) stay null and are not counted in m.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues.map((p, i) => ({ p, i })).filter((t): t is { p: number; i: number } => t.p !== null);
  const m = tested.length;
  tested.sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  tested.forEach((t, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * t.p));
    adjusted[t.i] = running;
  });
  return adjusted;
}

/**
 * The confidence level each of m intervals needs for all m to hold together at `level` (Bonferroni):
 * 1 − (1 − level)/m; `level` itself for m ≤ 1.
 */
export function bonferroniLevel(level: number, m: number): number {
  return m > 1 ? 1 - (1 - level) / m : level;
}

function check(p: Proportion): void {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.n) || p.x < 0 || p.n < 0 || p.x > p.n) {
    throw new RangeError(`a proportion needs 0 <= x <= n, got x=${p.x}, n=${p.n}`);
  }
}

// ---- deterministic randomness ------------------------------------------------------------------

/** FNV-1a (32 bit) then murmur3's finalizer: the same mix as workflows/interpreter/hash.ts. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export type Rng = () => number;

/**
 * sfc32 (Chris Doty-Humphrey's small fast counter), seeded from a 32-bit integer or a string:
 * uniform in [0, 1), the same sequence for the same seed on every platform.
 */
export function seededRng(seed: number | string): Rng {
  let a = typeof seed === 'string' ? hashSeed(seed) : seed >>> 0;
  let b = hashSeed(`b:${a}`);
  let c = hashSeed(`c:${a}`);
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // warm up
  return next;
}

/** A standard normal draw (Box-Muller, one of the pair). */
export function normalSample(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw: Marsaglia and Tsang (2000), with the shape < 1 boost. */
export function gammaSample(shape: number, rng: Rng): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng();
    return gammaSample(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalSample(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(α, β) draw as X/(X+Y) with X ~ Gamma(α), Y ~ Gamma(β). */
export function betaSample(alpha: number, beta: number, rng: Rng): number {
  const x = gammaSample(alpha, rng);
  const y = gammaSample(beta, rng);
  return x / (x + y);
}

// ---- Thompson sampling -------------------------------------------------------------------------

export interface ArmStats {
  id: string;
  successes: number;
  failures: number;
}

/**
 * One Thompson-sampling decision: draw θᵢ ~ Beta(1 + successesᵢ, 1 + failuresᵢ) for every arm (a
 * uniform prior) and take the arm with the largest draw (ties: the first). Deterministic for a given
 * rng state, so a seed made of experiment and customer gives the same choice for the same counts.
 */
export function thompsonPick(arms: ArmStats[], rng: Rng): string {
  if (arms.length === 0) throw new RangeError('thompsonPick needs at least one arm');
  let best = arms[0].id;
  let bestDraw = -1;
  for (const arm of arms) {
    const draw = betaSample(1 + Math.max(0, arm.successes), 1 + Math.max(0, arm.failures), rng);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = arm.id;
    }
  }
  return best;
}

/**
 * P(arm is best) under the Beta posteriors, by Monte Carlo with a fixed seed: the share of traffic
 * Thompson sampling sends to each arm with the current counts.
 */
export function probabilityBest(arms: ArmStats[], draws = 4000, seed: number | string = 'probability-best'): Record<string, number> {
  const rng = seededRng(seed);
  const wins: Record<string, number> = Object.fromEntries(arms.map((a) => [a.id, 0]));
  if (arms.length === 0) return wins;
  for (let i = 0; i < draws; i++) wins[thompsonPick(arms, rng)]++;
  for (const id of Object.keys(wins)) wins[id] = wins[id] / draws;
  return wins;
}
