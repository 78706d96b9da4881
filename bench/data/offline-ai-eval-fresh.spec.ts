/**
 * The rules of the fresh evaluation set (bench/data/offline-ai-eval-fresh.json, issue #14). The classifier
 * was tuned while its authors looked at offline-ai-eval.json's test phrases; this set was written blind,
 * so these checks keep it what it claims to be: the same intents, the agreed size and language mix, and
 * not one phrase the classifier (or its tuning) has already seen, case, accents and punctuation aside.
 */
import eval1 from './offline-ai-eval.json';
import fresh from './offline-ai-eval-fresh.json';
import { guessLang, normalize } from './phrase-checks';



describe('the fresh offline AI evaluation set', () => {
  const { test, outOfScope } = fresh;
  const intents = eval1.intents;
  const ids = intents.map((i) => i.id);

  it('says who wrote it, that it was written blind, and that it must not be tuned to a score', () => {
    expect(fresh.description).toMatch(/helper engineer/);
    expect(fresh.description).toMatch(/blind/i);
    expect(fresh.description).toMatch(/without seeing the offline classifier, its lexicon/i);
    expect(fresh.description).toMatch(/must not be edited to raise a score/i);
  });

  it('uses only the intents of offline-ai-eval.json: 10 phrases per core intent, 5 per other one, 150 in all', () => {
    for (const t of test) expect({ text: t.text, known: ids.includes(t.intent) }).toEqual({ text: t.text, known: true });
    for (const intent of intents) {
      const count = test.filter((t) => t.intent === intent.id).length;
      expect({ id: intent.id, count }).toEqual({ id: intent.id, count: intent.core ? 10 : 5 });
    }
    expect(test).toHaveLength(150);
  });

  it('is about three quarters Spanish, from Spain, Latin America and chat, each phrase filed under its language', () => {
    const spanish = test.filter((t) => t.lang === 'es').length / test.length;
    expect(spanish).toBeGreaterThanOrEqual(0.7);
    expect(spanish).toBeLessThanOrEqual(0.8);
    for (const variety of ['es-ES', 'es-LATAM', 'es-chat']) expect({ variety, enough: test.filter((t) => t.variety === variety).length >= 25 }).toEqual({ variety, enough: true });
    for (const t of test) {
      expect(['es-ES', 'es-LATAM', 'es-chat', 'en']).toContain(t.variety);
      expect({ text: t.text, en: t.lang === 'en' }).toEqual({ text: t.text, en: t.variety === 'en' });
      const other = t.lang === 'es' ? 'en' : 'es';
      expect({ text: t.text, lang: guessLang(t.text) }).not.toEqual({ text: t.text, lang: other });
    }
    // Every intent is asked in both languages, so a Spanish-only trick cannot carry an intent.
    for (const id of ids) expect({ id, langs: [...new Set(test.filter((t) => t.intent === id).map((t) => t.lang))].sort() }).toEqual({ id, langs: ['en', 'es'] });
  });

  it('has 15 out-of-scope messages, mostly Spanish', () => {
    expect(outOfScope).toHaveLength(15);
    expect(outOfScope.filter((o) => o.lang === 'es').length).toBeGreaterThanOrEqual(10);
    for (const o of outOfScope) expect({ text: o.text, lang: guessLang(o.text) }).not.toEqual({ text: o.text, lang: o.lang === 'es' ? 'en' : 'es' });
  });

  it('has no duplicate phrases, within itself or against any phrase, example or question of offline-ai-eval.json', () => {
    const mine = [...test, ...outOfScope].map((t) => normalize(t.text));
    expect(mine.filter((p, i) => mine.indexOf(p) !== i)).toEqual([]);
    const seen = new Set(
      [...eval1.test, ...eval1.outOfScope, ...eval1.knowledge.questions].map((t) => normalize(t.text)).concat(intents.flatMap((i) => i.examples.map(normalize))),
    );
    expect(mine.filter((p) => seen.has(p))).toEqual([]);
  });

  it('has no near copy either: no phrase shares 3/4 or more of its words with a phrase of offline-ai-eval.json', () => {
    const words = (text: string) => new Set(normalize(text).split(' '));
    const overlap = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / new Set([...a, ...b]).size;
    const seen = [...eval1.test, ...eval1.outOfScope, ...eval1.knowledge.questions].map((t) => words(t.text));
    const near = [...test, ...outOfScope].filter((t) => seen.some((s) => overlap(words(t.text), s) >= 0.75)).map((t) => t.text);
    expect(near).toEqual([]);
  });

  it('never contains an example of an intent word for word (case and accents aside)', () => {
    const examples = intents.flatMap((i) => i.examples.map(normalize));
    for (const phrase of [...test, ...outOfScope].map((t) => normalize(t.text))) {
      const copied = examples.filter((e) => ` ${phrase} `.includes(` ${e} `));
      expect({ phrase, copied }).toEqual({ phrase, copied: [] });
    }
  });
});
