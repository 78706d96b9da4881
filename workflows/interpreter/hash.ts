/** FNV-1a, 32 bit: a stable, dependency-free hash, identical in the workflow, the API and the UI. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** murmur3's finalizer: spreads the bits, so ids that differ in one character land far apart. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable point in [0, 1) for a customer in an experiment. */
export function stableUnit(experiment: string, subject: string): number {
  return fmix32(fnv1a(`${experiment}\u0000${subject}`)) / 0x1_0000_0000;
}

/**
 * The first assignment, without the final mix: sequential ids (customer-10..19) clustered in one
 * variant. Kept only so runs recorded with it replay the same way (see the abSplit node).
 */
export function stableUnitV1(experiment: string, subject: string): number {
  return fnv1a(`${experiment}\u0000${subject}`) / 0x1_0000_0000;
}

/** Picks a variant by weight for a stable point; the same customer always gets the same variant. */
export function pickVariant<T extends { id: string; weight: number }>(variants: T[], unit: number): T {
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  let point = unit * total;
  for (const v of variants) {
    point -= Math.max(0, v.weight);
    if (point < 0) return v;
  }
  return variants[variants.length - 1];
}
