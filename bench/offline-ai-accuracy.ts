/**
 * Accuracy of the offline AI (the default engine when no OPENAI_API_KEY is set) on a small labelled
 * Spanish/English set: intent classification (training examples separate from the test utterances,
 * out-of-scope messages expected to fall back) and sentiment (negations, contrast, emojis, typos).
 *
 *   npm run build:server && node dist/bench/offline-ai-accuracy.js [--threshold 0.35] [--misses] [--json]
 *
 * Prints accuracy per task and per language, a confusion matrix per task and, with --misses, every
 * wrong answer. It is a benchmark to compare changes of the offline engine, not a test threshold.
 * The data: bench/data/offline-ai-labelled.json.
 */
import { createOfflineAiEngine } from '../activities/ai/offline/engine';
import { createStaticKnowledgeBase } from '../activities/ai/knowledge';
import data from './data/offline-ai-labelled.json';

type Lang = 'es' | 'en';
interface Outcome {
  lang: Lang;
  text: string;
  expected: string;
  predicted: string;
  score: number;
}

const FALLBACK = 'fallback';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const pct = (num: number, den: number) => (den === 0 ? '   -  ' : `${((100 * num) / den).toFixed(1).padStart(5)}%`);

function accuracyRow(label: string, outcomes: Outcome[], filter: (o: Outcome) => boolean = () => true): string {
  const cells = [undefined, 'es', 'en'].map((lang) => {
    const subset = outcomes.filter((o) => (lang === undefined || o.lang === lang) && filter(o));
    const right = subset.filter((o) => o.expected === o.predicted).length;
    return `${pct(right, subset.length)} (${String(right).padStart(2)}/${String(subset.length).padEnd(2)})`;
  });
  return `  ${label.padEnd(26)}${cells.map((c) => c.padEnd(18)).join('')}`;
}

/** Per-class precision, recall and F1, and their macro average. */
function perClass(outcomes: Outcome[], classes: string[]) {
  const rows = classes.map((c) => {
    const tp = outcomes.filter((o) => o.expected === c && o.predicted === c).length;
    const fp = outcomes.filter((o) => o.expected !== c && o.predicted === c).length;
    const fn = outcomes.filter((o) => o.expected === c && o.predicted !== c).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { c, precision, recall, f1, support: tp + fn };
  });
  return { rows, macroF1: rows.reduce((s, r) => s + r.f1, 0) / rows.length };
}

function confusion(title: string, outcomes: Outcome[], classes: string[]): string[] {
  const width = Math.max(10, ...classes.map((c) => c.length + 1));
  const head = `  ${'expected \\ predicted'.padEnd(22)}${classes.map((c) => c.padStart(width)).join('')}`;
  const lines = [`  ${title}`, head];
  for (const expected of classes) {
    const counts = classes.map((p) => outcomes.filter((o) => o.expected === expected && o.predicted === p).length);
    if (counts.every((n) => n === 0)) continue;
    lines.push(`  ${expected.padEnd(22)}${counts.map((n) => (n ? String(n) : '.').padStart(width)).join('')}`);
  }
  return lines;
}

function report(title: string, outcomes: Outcome[], classes: string[], extraRows: string[] = []): string[] {
  const { rows, macroF1 } = perClass(outcomes, classes);
  const lines = [
    '',
    `${title}`,
    `  ${''.padEnd(26)}${['all', 'es', 'en'].map((h) => h.padEnd(18)).join('')}`,
    accuracyRow('accuracy', outcomes),
    ...extraRows,
    `  macro F1 over ${classes.length} classes: ${macroF1.toFixed(3)}`,
    `  ${'class'.padEnd(22)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'F1'.padStart(8)}${'n'.padStart(5)}`,
    ...rows.map(
      (r) =>
        `  ${r.c.padEnd(22)}${r.precision.toFixed(2).padStart(10)}${r.recall.toFixed(2).padStart(10)}${r.f1.toFixed(2).padStart(8)}${String(r.support).padStart(5)}`,
    ),
    '',
    ...confusion('confusion (rows: expected, columns: predicted)', outcomes, classes),
  ];
  if (flag('misses')) {
    const misses = outcomes.filter((o) => o.expected !== o.predicted);
    lines.push('', `  misses (${misses.length}):`);
    for (const m of misses) lines.push(`  [${m.lang}] ${JSON.stringify(m.text)}: expected ${m.expected}, got ${m.predicted} (${m.score})`);
  }
  return lines;
}

async function main(): Promise<void> {
  const engine = createOfflineAiEngine({ knowledge: createStaticKnowledgeBase([]) });
  const threshold = Number(arg('threshold') ?? data.intents.threshold);
  const intents = data.intents.training;

  const intentOutcomes: Outcome[] = [];
  for (const t of data.intents.test) {
    const r = await engine.classify({ text: t.text, intents, threshold });
    intentOutcomes.push({ lang: t.lang as Lang, text: t.text, expected: t.intent ?? FALLBACK, predicted: r.intent ?? FALLBACK, score: r.confidence });
  }
  const sentimentOutcomes: Outcome[] = [];
  for (const s of data.sentiment) {
    const r = await engine.sentiment({ text: s.text });
    sentimentOutcomes.push({ lang: s.lang as Lang, text: s.text, expected: s.label, predicted: r.label, score: r.score });
  }

  if (flag('json')) {
    const acc = (list: Outcome[], lang?: Lang) => {
      const subset = list.filter((o) => !lang || o.lang === lang);
      return subset.filter((o) => o.expected === o.predicted).length / subset.length;
    };
    console.log(
      JSON.stringify(
        {
          threshold,
          intent: { accuracy: acc(intentOutcomes), es: acc(intentOutcomes, 'es'), en: acc(intentOutcomes, 'en'), outcomes: intentOutcomes },
          sentiment: { accuracy: acc(sentimentOutcomes), es: acc(sentimentOutcomes, 'es'), en: acc(sentimentOutcomes, 'en'), outcomes: sentimentOutcomes },
        },
        null,
        2,
      ),
    );
    return;
  }

  const intentClasses = [...intents.map((i) => i.id), FALLBACK];
  const inScope = data.intents.test.filter((t) => t.intent !== null).length;
  const lines = [
    `Offline AI accuracy on bench/data/offline-ai-labelled.json`,
    ...report(
      `Intent classification: ${data.intents.test.length} test utterances (${inScope} over ${intents.length} intents, ${data.intents.test.length - inScope} out of scope expecting fallback); ${intents.reduce((n, i) => n + i.examples.length, 0)} training examples; threshold ${threshold}`,
      intentOutcomes,
      intentClasses,
      [
        accuracyRow('in scope', intentOutcomes, (o) => o.expected !== FALLBACK),
        accuracyRow('out of scope -> fallback', intentOutcomes, (o) => o.expected === FALLBACK),
        accuracyRow('in scope, when answered', intentOutcomes, (o) => o.expected !== FALLBACK && o.predicted !== FALLBACK),
      ],
    ),
    ...report(`Sentiment: ${data.sentiment.length} sentences (negative / neutral / positive)`, sentimentOutcomes, ['negative', 'neutral', 'positive']),
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
