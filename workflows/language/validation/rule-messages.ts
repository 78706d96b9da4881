/** Bilingual explanation of a rule syntax problem. */
import type { RuleProblem } from '../rules';
import type { LocalizedText } from '../types';

function count(min: number, max: number, lang: 'es' | 'en'): string {
  if (min === max) return String(min);
  if (max === Number.POSITIVE_INFINITY) return lang === 'es' ? `al menos ${min}` : `at least ${min}`;
  return lang === 'es' ? `de ${min} a ${max}` : `${min} to ${max}`;
}

export function ruleProblemText(p: RuleProblem): LocalizedText {
  const where = p.path ? { es: ` (en ${p.path})`, en: ` (at ${p.path})` } : { es: '', en: '' };
  switch (p.kind) {
    case 'not_operation':
      return {
        es: `cada operación debe ser un objeto con una sola clave, como {"==": [a, b]}${where.es}`,
        en: `each operation must be an object with a single key, like {"==": [a, b]}${where.en}`,
      };
    case 'unknown_operator':
      return { es: `el operador «${p.operator}» no existe${where.es}`, en: `the operator “${p.operator}” does not exist${where.en}` };
    case 'forbidden_operator':
      return { es: `el operador «${p.operator}» no está permitido${where.es}`, en: `the operator “${p.operator}” is not allowed${where.en}` };
    case 'arity':
      return {
        es: `«${p.operator}» necesita ${count(p.min ?? 0, p.max ?? 0, 'es')} argumento(s) y tiene ${p.received}${where.es}`,
        en: `“${p.operator}” needs ${count(p.min ?? 0, p.max ?? 0, 'en')} argument(s) and has ${p.received}${where.en}`,
      };
    case 'invalid_regex':
      return { es: `la expresión regular no es válida: ${p.detailEs ?? p.detail}${where.es}`, en: `the regular expression is invalid: ${p.detail}${where.en}` };
    case 'too_deep':
      return { es: 'la regla tiene demasiados niveles de anidamiento', en: 'the rule is nested too deeply' };
    case 'too_much_work':
      return { es: 'la regla hace demasiado trabajo con estos datos', en: 'the rule does too much work on this data' };
  }
}
