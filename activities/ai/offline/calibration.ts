/**
 * What the offline classifier's confidence means: the probability that its answer is right, from a
 * logistic fit of "was the top intent right?" on its raw similarity (0..1), its margin over the
 * runner-up and the log of the number of intents (more intents, more ways to be wrong).
 *
 * Fitted by `node dist/bench/offline-ai-calibrate.js` on the evaluation set
 * (bench/data/offline-ai-eval.json: description + 3 examples per intent, 10 and 20 intents) and the
 * older labelled set (3 examples per intent drawn at random), out-of-scope messages included. The
 * blind set (bench/data/offline-ai-eval-fresh.json) is never used for the fit: it checks it.
 */
export const CALIBRATION = { raw: 7.406, margin: 4.311, intents: -0.126, bias: -2.841 };

/**
 * The default threshold of `ai.classify`: answer when the calibrated confidence says the answer is
 * more likely right than not, read from the calibration table of bench/offline-ai-accuracy.ts.
 */
export const DEFAULT_CLASSIFY_THRESHOLD = 0.5;

export function calibrated(raw: number, margin: number, intents: number): number {
  const z = CALIBRATION.raw * raw + CALIBRATION.margin * margin + CALIBRATION.intents * Math.log(Math.max(1, intents)) + CALIBRATION.bias;
  return 1 / (1 + Math.exp(-z));
}
