// Types of @orama/stemmers' per-language entry points. The package declares them through its
// `exports` map, which this project's `moduleResolution: node` does not read.
declare module '@orama/stemmers/spanish' {
  export const language: string;
  export function stemmer(word: string): string;
}
declare module '@orama/stemmers/english' {
  export const language: string;
  export function stemmer(word: string): string;
}
