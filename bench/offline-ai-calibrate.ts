/**
 * Fits the offline classifier's confidence (activities/ai/offline/calibration.ts): a logistic
 * regression of "the top intent is the right one" on the raw similarity, its margin over the
 * runner-up and the log of the number of intents.
 *
 *   npm run build:server && node dist/bench/offline-ai-calibrate.js [--subsets 40] [--seed 7]
 *
 * The data: the evaluation set bench/data/offline-ai-eval.json (its 10 core intents, and all 20, each
 * with its description and 3 examples) and the older bench/data/offline-ai-labelled.json (5 intents ×
 * 8 examples, of which every round draws 3 per intent at random, as a CX lead writes about 3). Test
 * phrases are scored against each model; out-of-scope ones count as wrong whatever the top intent.
 * The blind set bench/data/offline-ai-eval-fresh.json is never used here: it checks the result
 * (bench/offline-ai-accuracy.ts). Prints the fitted coefficients to paste into calibration.ts, and a
 * reliability table.
 */
import { calibrated, CALIBRATION } from '../activities/ai/offline/calibration';
import { trainIntentModel } from '../activities/ai/offline/classifier';
import evalSet from './data/offline-ai-eval.json';
import data from './data/offline-ai-labelled.json';

interface Point {
  raw: number;
  margin: number;
  /** How many intents the model chose among: more intents, more ways to be wrong. */
  intents: number;
  right: 0 | 1;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A small deterministic PRNG (mulberry32), so a fit can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(list: T[], n: number, rand: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function scorePhrases(intents: { id: string; examples: string[]; description?: string }[], phrases: { text: string; intent: string | null }[]): Point[] {
  const model = trainIntentModel(intents);
  return phrases.map((t) => {
    const { ids, raw } = model.rawScores(t.text);
    let best = 0;
    for (let i = 1; i < raw.length; i++) if (raw[i] > raw[best]) best = i;
    const rival = Math.max(0, ...raw.filter((_, i) => i !== best));
    return { raw: raw[best], margin: raw[best] - rival, intents: ids.length, right: t.intent !== null && ids[best] === t.intent ? 1 : 0 };
  });
}

export function collectPoints(subsets: number, seed: number): Point[] {
  const rand = random(seed);
  const points: Point[] = [];
  const outOfScope = evalSet.outOfScope.map((o) => ({ text: o.text, intent: null }));
  for (const intents of [evalSet.intents.filter((i) => i.core), evalSet.intents]) {
    const ids = new Set(intents.map((i) => i.id));
    points.push(...scorePhrases(intents, [...evalSet.test.filter((t) => ids.has(t.intent)), ...outOfScope]));
  }
  for (let round = 0; round < subsets; round++) {
    const intents = data.intents.training.map((i) => ({ id: i.id, examples: pick(i.examples, 3, rand) }));
    points.push(...scorePhrases(intents, data.intents.test));
  }
  return points;
}

/** Logistic regression by gradient descent (four parameters, a few hundred points: plenty). */
export function fitLogistic(points: Point[]): { raw: number; margin: number; intents: number; bias: number } {
  const features = (p: Point) => [p.raw, p.margin, Math.log(p.intents), 1];
  let w = [0, 0, 0, 0];
  const rate = 0.3;
  for (let epoch = 0; epoch < 40_000; epoch++) {
    const grad = [0, 0, 0, 0];
    for (const p of points) {
      const x = features(p);
      const z = x.reduce((sum, v, k) => sum + v * w[k], 0);
      const err = 1 / (1 + Math.exp(-z)) - p.right;
      for (let k = 0; k < x.length; k++) grad[k] += err * x[k];
    }
    w = w.map((v, k) => v - (rate * grad[k]) / points.length);
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { raw: r(w[0]), margin: r(w[1]), intents: r(w[2]), bias: r(w[3]) };
}

function reliability(points: Point[], confidence: (p: Point) => number): string[] {
  const bins = [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
  const lines = [`  ${'confidence'.padEnd(14)}${'phrases'.padStart(9)}${'right'.padStart(9)}`];
  for (let b = 0; b + 1 < bins.length; b++) {
    const inBin = points.filter((p) => confidence(p) >= bins[b] && confidence(p) < bins[b + 1]);
    const right = inBin.filter((p) => p.right).length;
    const label = `${bins[b].toFixed(1)}–${Math.min(1, bins[b + 1]).toFixed(1)}`;
    lines.push(`  ${label.padEnd(14)}${String(inBin.length).padStart(9)}${(inBin.length ? `${((100 * right) / inBin.length).toFixed(0)}%` : '-').padStart(9)}`);
  }
  return lines;
}

function main(): void {
  const points = collectPoints(arg('subsets', 6), arg('seed', 7));
  const fit = fitLogistic(points);
  const withFit = (p: Point) => 1 / (1 + Math.exp(-(fit.raw * p.raw + fit.margin * p.margin + fit.intents * Math.log(p.intents) + fit.bias)));
  console.log(`${points.length} scored phrases (${points.filter((p) => p.right).length} right at the top)`);
  console.log(`fitted:  CALIBRATION = { raw: ${fit.raw}, margin: ${fit.margin}, intents: ${fit.intents}, bias: ${fit.bias} }`);
  console.log(`current: CALIBRATION = ${JSON.stringify(CALIBRATION)}`);
  console.log('\nreliability of the fitted confidence on the fitting data:');
  console.log(reliability(points, withFit).join('\n'));
  console.log('\nreliability of the current confidence on the fitting data:');
  console.log(reliability(points, (p) => calibrated(p.raw, p.margin, p.intents)).join('\n'));
}

if (require.main === module) main();
