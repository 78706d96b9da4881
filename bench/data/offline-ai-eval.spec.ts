/**
 * The rules of the offline AI's evaluation set (bench/data/offline-ai-eval.json, issue #14), so that an
 * edit cannot quietly make the set easier: what the classifier is given stays what a CX lead types
 * (a description and 3 examples per intent), the test phrases stay apart from the examples, mostly
 * Spanish, and every knowledge question points at an article the help centre really has.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { splitMarkdown } from '../../activities/ai/knowledge-import';
import data from './offline-ai-eval.json';
import { guessLang, Lang, normalize } from './phrase-checks';

const HELP_CENTRE = join(__dirname, '../../examples/help-centre');
const ARTICLES_FILE: Record<Lang, string> = { es: 'ayuda-es.md', en: 'help-en.md' };


function articleTitles(lang: Lang): string[] {
  return splitMarkdown(readFileSync(join(HELP_CENTRE, ARTICLES_FILE[lang]), 'utf8'), ARTICLES_FILE[lang]).map((s) => s.title);
}

describe('the offline AI evaluation set', () => {
  const { intents, test, outOfScope, knowledge } = data;
  const ids = intents.map((i) => i.id);
  const examples = intents.flatMap((i) => i.examples.map(normalize));

  it('says who wrote it, how, and its rules', () => {
    expect(data.description).toMatch(/without reading the offline classifier/i);
    expect(data.description).toMatch(/3 examples/);
  });

  it('has 20 intents, the first 10 core, with snake_case ids', () => {
    expect(intents).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(intents.map((i) => i.core)).toEqual([...Array(10).fill(true), ...Array(10).fill(false)]);
  });

  it('gives each intent what a CX lead types: one short Spanish description and 3 examples, 2 Spanish then 1 English', () => {
    for (const intent of intents) {
      expect({ id: intent.id, lang: guessLang(intent.description) }).toEqual({ id: intent.id, lang: 'es' });
      expect(intent.description.length).toBeLessThanOrEqual(120);
      expect({ id: intent.id, langs: intent.examples.map(guessLang) }).toEqual({ id: intent.id, langs: ['es', 'es', 'en'] });
      for (const example of intent.examples) expect(example.split(/\s+/).length).toBeLessThanOrEqual(8);
    }
  });

  it('has at least 12 test phrases per core intent and 5 per extra intent, all of known intents', () => {
    for (const t of test) expect(ids).toContain(t.intent);
    for (const intent of intents) {
      const count = test.filter((t) => t.intent === intent.id).length;
      expect({ id: intent.id, enough: count >= (intent.core ? 12 : 5) }).toEqual({ id: intent.id, enough: true });
    }
  });

  it('is mostly Spanish, from Spain, Latin America and chat, and each phrase is filed under its language', () => {
    const spanish = test.filter((t) => t.lang === 'es').length / test.length;
    expect(spanish).toBeGreaterThanOrEqual(0.7);
    expect(spanish).toBeLessThanOrEqual(0.85);
    for (const variety of ['es-ES', 'es-LATAM', 'es-chat']) expect(test.filter((t) => t.variety === variety).length).toBeGreaterThanOrEqual(30);
    for (const t of test) {
      expect(t.lang === 'en').toBe(t.variety === 'en');
      const other = t.lang === 'es' ? 'en' : 'es';
      expect({ text: t.text, lang: guessLang(t.text) }).not.toEqual({ text: t.text, lang: other });
    }
  });

  it('never gives the classifier a test phrase: no phrase equals or contains an example (case and accents aside)', () => {
    for (const phrase of [...test, ...outOfScope].map((t) => normalize(t.text))) {
      const copied = examples.filter((e) => phrase === e || ` ${phrase} `.includes(` ${e} `));
      expect({ phrase, copied }).toEqual({ phrase, copied: [] });
    }
  });

  it('has no duplicate phrases', () => {
    const all = [...test, ...outOfScope, ...knowledge.questions].map((t) => normalize(t.text));
    expect(all.filter((p, i) => all.indexOf(p) !== i)).toEqual([]);
  });

  it('has 20 out-of-scope messages, mostly Spanish', () => {
    expect(outOfScope).toHaveLength(20);
    expect(outOfScope.filter((o) => o.lang === 'es').length).toBeGreaterThanOrEqual(14);
  });

  it('asks at least 40 knowledge questions (30 Spanish, 10 English), each about an article of its language that exists', () => {
    const questions = knowledge.questions;
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(questions.filter((q) => q.lang === 'es').length).toBeGreaterThanOrEqual(30);
    expect(questions.filter((q) => q.lang === 'en').length).toBeGreaterThanOrEqual(10);
    const titles = { es: articleTitles('es'), en: articleTitles('en') };
    for (const q of questions) expect({ q: q.text, found: titles[q.lang as Lang].includes(q.article) }).toEqual({ q: q.text, found: true });
    // Every article is asked about, so the benchmark measures the whole help centre.
    for (const lang of ['es', 'en'] as const)
      for (const title of titles[lang]) expect({ title, asked: questions.some((q) => q.article === title) }).toEqual({ title, asked: true });
  });

  it('words knowledge questions as customers ask, not with the title of their article', () => {
    expect(knowledge.questions.filter((q) => normalize(q.text).includes(normalize(q.article))).map((q) => q.text)).toEqual([]);
  });
});

describe('the example help centre (examples/help-centre)', () => {
  const files = readdirSync(HELP_CENTRE).filter((f) => f.endsWith('.md'));

  it('has a Spanish and an English file, as the knowledge import reads them: ~12 and ~8 articles', () => {
    expect(files.sort()).toEqual(['ayuda-es.md', 'help-en.md']);
    expect(articleTitles('es').length).toBeGreaterThanOrEqual(10);
    expect(articleTitles('en').length).toBeGreaterThanOrEqual(6);
  });

  it('writes each article in 3 to 8 sentences', () => {
    for (const file of files)
      for (const { title, body } of splitMarkdown(readFileSync(join(HELP_CENTRE, file), 'utf8'), file)) {
        const sentences = body.split(/[.!?](?:\s+|$)/).filter((s) => s.trim()).length;
        expect({ title, sentences: sentences >= 3 && sentences <= 8 }).toEqual({ title, sentences: true });
      }
  });
});
