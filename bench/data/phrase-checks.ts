/**
 * Helpers of the evaluation sets' shape checks (offline-ai-eval.spec.ts, offline-ai-eval-fresh.spec.ts).
 */
import { sameExampleKey } from '../../activities/ai/intent-review';

export type Lang = 'es' | 'en';

/** Lower case, no accents, no punctuation, single spaces: "¿Dónde está?" and "donde esta" are one phrase. */
export const normalize = sameExampleKey;

// A crude language guess from function words, only to catch a phrase filed under the wrong language.
// Words both languages share ("a", "me", "no") are left out.
const ES_WORDS = new Set(
  'el la los las de del que y en un una unos mi mis te se por para con es esta como cuando donde quiero puedo hay ya lo le su sus al pero q x xq tengo tienen nada muy dos todo gracias'.split(
    ' ',
  ),
);
const EN_WORDS = new Set(
  "the an my i i'm i'd it's is are you your to of in on for it do does can how when where what with was have has that this there's we we'd get please thanks thank".split(
    ' ',
  ),
);

export function guessLang(text: string): Lang | undefined {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const es = words.filter((w) => ES_WORDS.has(normalize(w))).length + (/[ñ¿¡áéíóú]/i.test(text) ? 1 : 0);
  const en = words.filter((w) => EN_WORDS.has(w)).length;
  return es > en ? 'es' : en > es ? 'en' : undefined;
}
