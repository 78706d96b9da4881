/**
 * Tables for bench/offline-ai-accuracy.ts: accuracy by group, per-class precision/recall, a
 * confusion matrix and a calibration (reliability) table. Pure functions over outcomes.
 */
export interface Outcome {
  text: string;
  lang: string;
  group: string;
  expected: string;
  predicted: string;
  /** The top answer before the threshold (what a threshold of 0 would say). */
  top: string;
  confidence: number;
  runnerUp?: string;
}

export const NONE = 'fallback';

export const pct = (num: number, den: number) => (den === 0 ? '    -' : `${((100 * num) / den).toFixed(1).padStart(5)}%`);
const cell = (right: number, n: number) => `${pct(right, n)} (${right}/${n})`.padEnd(18);

/** Accuracy rows for subsets of the outcomes: all (unless `withAll` is false), then by the values of `by`. */
export function accuracyTable(outcomes: Outcome[], by: (o: Outcome) => string, label: string, withAll = true): string[] {
  const groups = [...new Set(outcomes.map(by))].sort();
  const row = (name: string, list: Outcome[]) => {
    const right = list.filter((o) => o.predicted === o.expected).length;
    const top = list.filter((o) => o.top === o.expected).length;
    return `  ${name.padEnd(24)}${cell(right, list.length)}${cell(top, list.length)}`;
  };
  return [
    `  ${label.padEnd(24)}${withAll ? `${'at the threshold'.padEnd(18)}${'threshold 0'.padEnd(18)}` : ''}`,
    ...(withAll ? [row('all', outcomes)] : []),
    ...groups.map((g) =>
      row(
        g,
        outcomes.filter((o) => by(o) === g),
      ),
    ),
  ];
}

export function perClass(outcomes: Outcome[], classes: string[]): string[] {
  const lines = [`  ${'intent'.padEnd(24)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'F1'.padStart(8)}${'n'.padStart(5)}`];
  for (const c of classes) {
    const tp = outcomes.filter((o) => o.expected === c && o.predicted === c).length;
    const fp = outcomes.filter((o) => o.expected !== c && o.predicted === c).length;
    const fn = outcomes.filter((o) => o.expected === c && o.predicted !== c).length;
    if (tp + fn === 0 && fp === 0) continue;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    lines.push(
      `  ${c.padEnd(24)}${precision.toFixed(2).padStart(10)}${recall.toFixed(2).padStart(10)}${f1.toFixed(2).padStart(8)}${String(tp + fn).padStart(5)}`,
    );
  }
  return lines;
}

export function confusion(outcomes: Outcome[], classes: string[]): string[] {
  const short = (c: string) => c.slice(0, 7);
  const lines = [`  ${'expected \\ predicted'.padEnd(24)}${classes.map((c) => short(c).padStart(8)).join('')}`];
  for (const expected of classes) {
    const counts = classes.map((p) => outcomes.filter((o) => o.expected === expected && o.predicted === p).length);
    if (counts.every((n) => n === 0)) continue;
    lines.push(`  ${expected.padEnd(24)}${counts.map((n) => (n ? String(n) : '.').padStart(8)).join('')}`);
  }
  return lines;
}

/** Calibration: for confidence bins, how often the top answer is right; and "at least c" rows. */
export function calibrationTable(outcomes: Outcome[]): { lines: string[]; atLeast: Record<string, { n: number; right: number }> } {
  const isRight = (o: Outcome) => o.top === o.expected;
  const bins = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
  const lines = [
    `  ${'confidence'.padEnd(14)}${'phrases'.padStart(9)}${'top right'.padStart(11)}      ${'conf ≥'.padEnd(8)}${'phrases'.padStart(9)}${'right'.padStart(9)}`,
  ];
  const atLeast: Record<string, { n: number; right: number }> = {};
  for (let b = 0; b + 1 < bins.length; b++) {
    const inBin = outcomes.filter((o) => o.confidence >= bins[b] && o.confidence < bins[b + 1]);
    const above = outcomes.filter((o) => o.confidence >= bins[b]);
    const key = bins[b].toFixed(1);
    atLeast[key] = { n: above.length, right: above.filter(isRight).length };
    const label = `${bins[b].toFixed(1)}–${Math.min(1, bins[b + 1]).toFixed(1)}`;
    lines.push(
      `  ${label.padEnd(14)}${String(inBin.length).padStart(9)}${pct(inBin.filter(isRight).length, inBin.length).padStart(11)}      ${key.padEnd(8)}${String(above.length).padStart(9)}${pct(atLeast[key].right, above.length).padStart(9)}`,
    );
  }
  return { lines, atLeast };
}
