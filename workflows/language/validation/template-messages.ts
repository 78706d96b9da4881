/** Bilingual wording for the most common Liquid syntax errors (others keep liquidjs' English text). */
import type { LocalizedText } from '../types';

const RULES: [RegExp, (m: RegExpExecArray) => LocalizedText][] = [
  [/^tag (.+) not closed$/, (m) => ({ es: `la etiqueta ${m[1]} no está cerrada`, en: `the tag ${m[1]} is not closed` })],
  [/^output (.+) not closed$/, (m) => ({ es: `la salida ${m[1]} no está cerrada (falta «}}»)`, en: `the output ${m[1]} is not closed (missing “}}”)` })],
  [/^undefined filter: (.+)$/, (m) => ({ es: `el filtro «${m[1]}» no existe`, en: `the filter “${m[1]}” does not exist` })],
  [/^tag "(.+)" not found$/, (m) => ({ es: `la etiqueta «${m[1]}» no existe o no está permitida`, en: `the tag “${m[1]}” does not exist or is not allowed` })],
  [/^unexpected token at (.+)$/, (m) => ({ es: `hay algo inesperado en ${m[1]}`, en: `unexpected text at ${m[1]}` })],
];

export function templateProblemText(message: string): LocalizedText {
  const match = /^(.*?)(?:, line:(\d+), col:(\d+))?$/s.exec(message.trim());
  const core = match?.[1] ?? message;
  const where = match?.[2] ? { es: ` (línea ${match[2]}, columna ${match[3]})`, en: ` (line ${match[2]}, column ${match[3]})` } : { es: '', en: '' };
  for (const [re, text] of RULES) {
    const m = re.exec(core);
    if (m) {
      const t = text(m);
      return { es: t.es + where.es, en: t.en + where.en };
    }
  }
  return { es: core + where.es, en: core + where.en };
}
