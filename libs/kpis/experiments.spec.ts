import { analyseExperiment, SplitNode } from './experiments';

// Experiment analysis from counts, checked against values worked out by hand from the formulas
// (pooled two-proportion z-test, Wald interval, Holm's step-down adjustment), independently of stats.ts.

const node = (ids: string[]): SplitNode => ({ nodeId: 'split', experiment: 'copy', variants: ids.map((id) => ({ id, weight: 1 })), adaptive: false });
const counts = (c: Record<string, [number, number]>) => new Map(Object.entries(c).map(([id, [conversions, exposures]]) => [id, { exposures, conversions }]));
const q = { minSample: 100, alpha: 0.05 };
const analyse = (c: Record<string, [number, number]>) => analyseExperiment('copy', node(Object.keys(c)), Object.keys(c), counts(c), q);
const variant = (r: ReturnType<typeof analyse>, id: string) => r.variants.find((v) => v.id === id)!;

describe('experiments with more than two variants: Holm–Bonferroni', () => {
  it('a variant significant on its own is not once the second comparison is counted (A 100/1000, B 130/1000, C 100/1000)', () => {
    const r = analyse({ A: [100, 1000], B: [130, 1000], C: [100, 1000] });
    expect(r).toMatchObject({ control: 'A', comparisons: 2, correction: 'holm', status: 'no_significant_difference', winner: null });
    expect(r.ciLevel).toBeCloseTo(0.975, 15);

    // B vs A: p̂ = 230/2000 = 0.115, SE₀ = √(0.115 · 0.885 · 2/1000) = 0.0142671, z = 0.03/SE₀ = 2.102741,
    // p = 2(1 − Φ(2.102741)) = 0.0354885. C vs A: identical rates, z = 0, p = 1.
    // Holm, m = 2: sorted 0.0354885 × 2 = 0.0709769; then max(0.0709769, 1 × 1) = 1.
    const b = variant(r, 'B').vsControl!;
    expect(b.z).toBeCloseTo(2.102741, 5);
    expect(b.pValue).toBeCloseTo(0.0354885, 6);
    expect(b.pValueAdjusted).toBeCloseTo(0.0709769, 6);
    expect(b.significant).toBe(false); // 0.035 < 0.05 raw, 0.071 adjusted
    const c = variant(r, 'C').vsControl!;
    expect(c).toMatchObject({ z: 0, pValue: 1, pValueAdjusted: 1, significant: false });

    // 97.5% Wald interval of 0.13 − 0.10: SE = √(0.1·0.9/1000 + 0.13·0.87/1000) = 0.0142759,
    // z₀.₉₈₇₅ = 2.241403, 0.03 ± 0.0319429 = [−0.0019429, 0.0619429]: it now contains 0.
    expect(b.ciLow).toBeCloseTo(-0.0019429, 6);
    expect(b.ciHigh).toBeCloseTo(0.0619429, 6);

    // The winner check is corrected too: B beats A and C each at raw p = 0.0355, adjusted 0.071 > 0.05.
  });

  it('declares the winner when the adjusted p-values stay below alpha (A 100/1000, B 150/1000, C 110/1000)', () => {
    const r = analyse({ A: [100, 1000], B: [150, 1000], C: [110, 1000] });
    expect(r).toMatchObject({ comparisons: 2, correction: 'holm', status: 'winner', winner: 'B' });

    // B vs A: p̂ = 0.125, SE₀ = √(0.125 · 0.875 · 0.002) = 0.0147902, z = 0.05/SE₀ = 3.380617, p = 0.000723233.
    // C vs A: p̂ = 0.105, SE₀ = √(0.105 · 0.895 · 0.002) = 0.0137095, z = 0.01/SE₀ = 0.729422, p = 0.465744.
    // Holm: 0.000723233 × 2 = 0.00144647; max(0.00144647, 0.465744) = 0.465744.
    const b = variant(r, 'B').vsControl!;
    expect(b.z).toBeCloseTo(3.380617, 5);
    expect(b.pValue).toBeCloseTo(0.000723233, 8);
    expect(b.pValueAdjusted).toBeCloseTo(0.00144647, 7);
    expect(b.significant).toBe(true);
    const c = variant(r, 'C').vsControl!;
    expect(c.z).toBeCloseTo(0.729422, 5);
    expect(c.pValue).toBeCloseTo(0.465744, 5);
    expect(c.pValueAdjusted).toBeCloseTo(0.465744, 5);
    expect(c.significant).toBe(false);

    // 97.5% intervals: B 0.05 ± 2.241403 · √(0.09/1000 + 0.1275/1000) = [0.0169441, 0.0830559];
    // C 0.01 ± 2.241403 · √(0.09/1000 + 0.0979/1000) = [−0.0207244, 0.0407244].
    expect(b.ciLow).toBeCloseTo(0.0169441, 6);
    expect(b.ciHigh).toBeCloseTo(0.0830559, 6);
    expect(c.ciLow).toBeCloseTo(-0.0207244, 6);
    expect(c.ciHigh).toBeCloseTo(0.0407244, 6);
    // The winner's family: B vs A p = 0.000723233, B vs C (p̂ = 0.13, z = 2.659584) p = 0.00782372;
    // Holm: 0.00144647 and max(0.00144647, 0.00782372) = 0.00782372, both < 0.05.
  });

  it('changes nothing with two variants: one comparison, adjusted = raw, 95% interval', () => {
    const r = analyse({ A: [100, 1000], B: [130, 1000] });
    expect(r).toMatchObject({ comparisons: 1, correction: 'none', ciLevel: 0.95, status: 'winner', winner: 'B' });
    const b = variant(r, 'B').vsControl!;
    expect(b.pValue).toBeCloseTo(0.0354885, 6);
    expect(b.pValueAdjusted).toBe(b.pValue);
    expect(b.significant).toBe(true);
    // 0.03 ± 1.959964 · 0.0142759 = [0.0020679, 0.0579321].
    expect(b.ciLow).toBeCloseTo(0.0020679, 6);
    expect(b.ciHigh).toBeCloseTo(0.0579321, 6);
  });

  it('counts only comparisons that have a p-value: a variant without exposures is not in the family', () => {
    const r = analyse({ A: [100, 1000], B: [130, 1000], C: [0, 0] });
    expect(r).toMatchObject({ comparisons: 1, correction: 'none', ciLevel: 0.95, status: 'insufficient_data' });
    expect(variant(r, 'B').vsControl!.pValueAdjusted).toBeCloseTo(0.0354885, 6);
    expect(variant(r, 'C').vsControl).toMatchObject({ pValue: null, pValueAdjusted: null, significant: false });
  });
});
