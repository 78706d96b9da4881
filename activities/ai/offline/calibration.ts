/**
 * What the offline classifier's confidence means: the probability that its answer is right, from a
 * logistic fit of "was the top intent right?" on its raw similarity (0..1) and its margin over the
 * runner-up. Fitted by `node dist/bench/offline-ai-calibrate.js` on the labelled phrases of
 * bench/data/offline-ai-labelled.json (each intent trimmed to a description-less 3 examples, as a CX
 * lead writes them), NOT on the evaluation set that checks it (bench/data/offline-ai-eval.json).
 */
export const CALIBRATION = { raw: 7.193, margin: 4.476, bias: -3.053 };

/**
 * The default threshold of `ai.classify`: answer when the calibrated confidence says the answer is
 * more likely right than not, read from the calibration table of bench/offline-ai-accuracy.ts.
 */
export const DEFAULT_CLASSIFY_THRESHOLD = 0.5;

export function calibrated(raw: number, margin: number): number {
  const z = CALIBRATION.raw * raw + CALIBRATION.margin * margin + CALIBRATION.bias;
  return 1 / (1 + Math.exp(-z));
}
