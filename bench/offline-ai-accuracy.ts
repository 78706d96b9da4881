/**
 * How well the offline AI (the engine of every install without OPENAI_API_KEY) understands what a CX
 * lead gives it: intents with a description and 3 examples each, knowledge-base questions, sentiment.
 *
 *   npm run build:server && node --expose-gc dist/bench/offline-ai-accuracy.js [--threshold 0.5] [--misses] [--json]
 *
 * Data:
 * - bench/data/offline-ai-eval.json: 20 intents (10 core) with a Spanish description and 3 examples
 *   (2 Spanish, 1 English) each, test phrases written differently from the examples (Spain, Latin
 *   America, chat style, English), out-of-scope messages, and knowledge-base questions for the help
 *   centre in examples/help-centre/. Written without looking at the classifier; the lexicon was then
 *   tuned while reading its misses, so it is no longer a fair test on its own.
 * - bench/data/offline-ai-eval-fresh.json: the blind set, 150 more phrases for the same intents written
 *   without seeing the classifier, its lexicon or the other phrases. Its misses are never printed.
 * - bench/data/offline-ai-labelled.json: the older set (5 intents × 8 examples) and the sentiment set.
 *
 * Prints, for the 10 core intents and for all 20, on each set: accuracy at the default threshold and at 0
 * (the top answer), by language and by variety; per-intent precision/recall; the confusion matrix; out-of-scope messages sent to
 * fallback; the calibration table (of the phrases with confidence ≥ c, how many are right); latency
 * per classification with 20 intents; knowledge-base top-1/top-3; sentiment accuracy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStaticKnowledgeBase } from '../activities/ai/knowledge';
import { splitMarkdown } from '../activities/ai/knowledge-import';
import { DEFAULT_CLASSIFY_THRESHOLD, IntentSpec, trainIntentModel } from '../activities/ai/offline/classifier';
import { createOfflineAiEngine } from '../activities/ai/offline/engine';
import eval_ from './data/offline-ai-eval.json';
import fresh from './data/offline-ai-eval-fresh.json';
import labelled from './data/offline-ai-labelled.json';
import { accuracyTable, calibrationTable, confusion, NONE, Outcome, pct, perClass } from './offline-ai/report';
import { summarize } from './stats';

const flag = (name: string) => process.argv.includes(`--${name}`);
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const threshold = Number(arg('threshold') ?? DEFAULT_CLASSIFY_THRESHOLD);

interface EvalIntent extends IntentSpec {
  core: boolean;
}
const allIntents: EvalIntent[] = eval_.intents;
const coreIntents = allIntents.filter((i) => i.core);

interface PhraseSet {
  test: { text: string; intent: string; lang: string; variety: string }[];
  outOfScope: { text: string; lang: string }[];
}

function classifyAll(intents: IntentSpec[], set: PhraseSet, withDescriptions = true): { inScope: Outcome[]; outOfScope: Outcome[] } {
  const model = trainIntentModel(withDescriptions ? intents : intents.map(({ id, examples }) => ({ id, examples })));
  const ids = new Set(intents.map((i) => i.id));
  const run = (text: string, lang: string, group: string, expected: string): Outcome => {
    const r = model.classify(text, threshold);
    const ranked = Object.entries(r.scores).sort((a, b) => b[1] - a[1]);
    return { text, lang, group, expected, predicted: r.intent ?? NONE, top: ranked[0]?.[0] ?? NONE, confidence: r.confidence, runnerUp: ranked[1]?.[0] };
  };
  return {
    inScope: set.test.filter((t) => ids.has(t.intent)).map((t) => run(t.text, t.lang, t.variety, t.intent)),
    outOfScope: set.outOfScope.map((t) => run(t.text, t.lang, 'out of scope', NONE)),
  };
}

function intentSection(title: string, intents: IntentSpec[], set: PhraseSet, blind = false): { lines: string[]; summary: Record<string, unknown> } {
  const { inScope, outOfScope } = classifyAll(intents, set);
  const noDescription = classifyAll(intents, set, false).inScope;
  const right = (list: Outcome[]) => list.filter((o) => o.predicted === o.expected).length;
  const fallbackRight = outOfScope.filter((o) => o.predicted === NONE).length;
  const calibration = calibrationTable([...inScope, ...outOfScope]);
  const perIntent = intents.map((i) => {
    const list = inScope.filter((o) => o.expected === i.id);
    return { id: i.id, accuracy: right(list) / list.length };
  });
  const lines = [
    '',
    `${title}: ${inScope.length} phrases over ${intents.length} intents (description + 3 examples each), ${outOfScope.length} out of scope; threshold ${threshold}`,
    ...accuracyTable(inScope, (o) => o.lang, 'by language'),
    ...accuracyTable(inScope, (o) => o.group, 'by variety', false),
    `  ${'examples only (no desc.)'.padEnd(24)}${`${pct(right(noDescription), noDescription.length)} (${right(noDescription)}/${noDescription.length})`}`,
    `  out of scope → fallback  ${pct(fallbackRight, outOfScope.length)} (${fallbackRight}/${outOfScope.length})`,
    `  lowest intent            ${perIntent.reduce((a, b) => (b.accuracy < a.accuracy ? b : a)).id} ${pct(Math.min(...perIntent.map((p) => p.accuracy * 100)), 100)}`,
    '',
    ...perClass([...inScope, ...outOfScope], [...intents.map((i) => i.id), NONE]),
    '',
    '  confusion (rows: expected, columns: predicted)',
    ...confusion([...inScope, ...outOfScope], [...intents.map((i) => i.id), NONE]),
    '',
    '  calibration (in scope and out of scope; "right" = the top intent is the expected one)',
    ...calibration.lines,
  ];
  // The blind set's misses are never printed: reading them would make it one more tuning set.
  if (flag('misses') && !blind) {
    const misses = [...inScope, ...outOfScope].filter((o) => o.predicted !== o.expected);
    lines.push('', `  misses (${misses.length}):`);
    for (const m of misses)
      lines.push(`  [${m.group}] ${JSON.stringify(m.text)}: expected ${m.expected}, got ${m.predicted} (top ${m.top} ${m.confidence}, then ${m.runnerUp})`);
  }
  const summary = {
    accuracy: right(inScope) / inScope.length,
    top1: inScope.filter((o) => o.top === o.expected).length / inScope.length,
    es: right(inScope.filter((o) => o.lang === 'es')) / inScope.filter((o) => o.lang === 'es').length,
    en: right(inScope.filter((o) => o.lang === 'en')) / inScope.filter((o) => o.lang === 'en').length,
    withoutDescriptions: right(noDescription) / noDescription.length,
    outOfScopeToFallback: fallbackRight / outOfScope.length,
    minIntent: Math.min(...perIntent.map((p) => p.accuracy)),
    perIntent,
    calibration: calibration.atLeast,
  };
  return { lines, summary };
}

function latencySection(): { lines: string[]; summary: Record<string, unknown> } {
  const texts = [...eval_.test.map((t) => t.text), ...eval_.outOfScope.map((t) => t.text)];
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const model = trainIntentModel(allIntents);
  const trainMs = performance.now() - t0;
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of texts) {
      const s = performance.now();
      model.classify(text, threshold);
      samples.push(performance.now() - s);
    }
  }
  global.gc?.();
  const after = process.memoryUsage();
  const s = summarize(samples);
  const lines = [
    '',
    `Latency with ${allIntents.length} intents: ${samples.length} classifications (${texts.length} phrases × 5), model trained once in ${trainMs.toFixed(1)} ms`,
    `  p50 ${s.p50.toFixed(3)} ms   p95 ${s.p95.toFixed(3)} ms   p99 ${s.p99.toFixed(3)} ms   max ${s.max.toFixed(3)} ms   (${(1000 / s.mean).toFixed(0)} classifications/s)`,
    global.gc
      ? `  heap +${((after.heapUsed - before.heapUsed) / 1e6).toFixed(1)} MB for the 20-intent model and its caches, RSS ${(after.rss / 1e6).toFixed(0)} MB for the whole process`
      : `  RSS ${(after.rss / 1e6).toFixed(0)} MB for the whole process (the model's own heap: run with node --expose-gc)`,
  ];
  return { lines, summary: { trainMs, ...s } };
}

async function knowledgeSection(): Promise<{ lines: string[]; summary: Record<string, unknown> }> {
  // From dist/bench (built) or bench/ (ts-jest, esbuild): the first that exists.
  const dir = [
    path.join(__dirname, '..', '..', 'examples', 'help-centre'),
    path.join(__dirname, '..', 'examples', 'help-centre'),
    path.resolve('examples', 'help-centre'),
  ].find((d) => fs.existsSync(d)) as string;
  const articles = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .flatMap((f) => {
      const locale = f.includes('-en') ? 'en' : 'es';
      return splitMarkdown(fs.readFileSync(path.join(dir, f), 'utf8'), f).map((s, i) => ({
        id: `${f}#${i}`,
        collection: 'help-centre',
        title: s.title,
        body: s.body,
        locale,
      }));
    });
  const engine = createOfflineAiEngine({ knowledge: createStaticKnowledgeBase(articles) });
  const rows: { lang: string; top1: boolean; top3: boolean; answered: boolean; text: string; expected: string; got: string }[] = [];
  for (const q of eval_.knowledge.questions) {
    const r = await engine.reply({ question: q.text, conversation: [], collection: 'help-centre' });
    const titles = r.sources.map((s) => s.title);
    rows.push({
      lang: q.lang,
      top1: titles[0] === q.article,
      top3: titles.slice(0, 3).includes(q.article),
      answered: r.answer !== null,
      text: q.text,
      expected: q.article,
      got: titles[0] ?? '-',
    });
  }
  const line = (label: string, list: typeof rows) =>
    `  ${label.padEnd(10)}top-1 ${pct(list.filter((r) => r.top1).length, list.length)}   top-3 ${pct(list.filter((r) => r.top3).length, list.length)}   answered ${pct(list.filter((r) => r.answered).length, list.length)}   (${list.length})`;
  const lines = [
    '',
    `Knowledge base (ai.reply offline, BM25): ${rows.length} questions over ${articles.length} articles of examples/help-centre`,
    line('all', rows),
    line(
      'es',
      rows.filter((r) => r.lang === 'es'),
    ),
    line(
      'en',
      rows.filter((r) => r.lang === 'en'),
    ),
  ];
  if (flag('misses')) for (const r of rows.filter((x) => !x.top1)) lines.push(`  miss ${JSON.stringify(r.text)}: expected «${r.expected}», got «${r.got}»`);
  return { lines, summary: { top1: rows.filter((r) => r.top1).length / rows.length, top3: rows.filter((r) => r.top3).length / rows.length } };
}

async function sentimentSection(): Promise<{ lines: string[]; summary: Record<string, unknown> }> {
  const engine = createOfflineAiEngine({ knowledge: createStaticKnowledgeBase([]) });
  let right = 0;
  for (const s of labelled.sentiment) if ((await engine.sentiment({ text: s.text })).label === s.label) right++;
  return {
    lines: ['', `Sentiment (bench/data/offline-ai-labelled.json): ${pct(right, labelled.sentiment.length)} (${right}/${labelled.sentiment.length})`],
    summary: { accuracy: right / labelled.sentiment.length },
  };
}

async function main(): Promise<void> {
  const core = intentSection('Evaluation set (offline-ai-eval.json), core intents', coreIntents, eval_);
  const all = intentSection('Evaluation set (offline-ai-eval.json), all intents', allIntents, eval_);
  const blindCore = intentSection('Blind set (offline-ai-eval-fresh.json), core intents', coreIntents, fresh, true);
  const blindAll = intentSection('Blind set (offline-ai-eval-fresh.json), all intents', allIntents, fresh, true);
  const latency = latencySection();
  const knowledge = await knowledgeSection();
  const sentiment = await sentimentSection();
  if (flag('json')) {
    console.log(
      JSON.stringify({
        threshold,
        core: core.summary,
        all: all.summary,
        blindCore: blindCore.summary,
        blindAll: blindAll.summary,
        latency: latency.summary,
        knowledge: knowledge.summary,
        sentiment: sentiment.summary,
      }),
    );
    return;
  }
  console.log(
    [
      `Offline AI accuracy (node dist/bench/offline-ai-accuracy.js${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''})`,
      ...core.lines,
      ...all.lines,
      ...blindCore.lines,
      ...blindAll.lines,
      ...latency.lines,
      ...knowledge.lines,
      ...sentiment.lines,
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
