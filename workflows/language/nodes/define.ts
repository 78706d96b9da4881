/** The shape of a node type description (one per file in nodes/). */
import type { z } from 'zod';
import type { LocalizedText } from '../types';

export type NodeCategory = 'trigger' | 'conversation' | 'logic' | 'timing' | 'ai' | 'crm' | 'notify' | 'integration' | 'experiment' | 'end';

/** Data as it may arrive from the editor: possibly incomplete or invalid. Branch helpers must be defensive. */
export type LooseData<T> = { [K in keyof T]?: T[K] | undefined };

export interface NodeDescription<S extends z.ZodType = z.ZodType, T extends string = string> {
  /** The node's `type` in a flow; its handler in workflows/interpreter/nodes/ is found by it. */
  readonly type: T;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  readonly category: NodeCategory;
  /** The data schema; every field has a `.describe()` text. */
  readonly data: S;
  /** Data for a freshly dropped node; valid against `data`. */
  readonly defaultData: z.input<S>;
  /** Branch names (edge `sourceHandle`s) for the given data, in display order. */
  branches(data: LooseData<z.output<S>>): string[];
  /** True when the node may suspend on the customer, time or an event (breaks spinning cycles). */
  readonly waits: boolean;
  /** Variables (`vars.<name>`) the node writes. */
  writes?(data: LooseData<z.output<S>>): string[];
  /** What `nodes.<id>.output` holds after the node ran. */
  readonly outputDescription?: LocalizedText;
}

/**
 * Identity helper that keeps the schema's type for `branches` and `writes`, and the literal `type`,
 * from which the catalog derives each node type's data (`NodeDataByType`).
 */
export function defineNode<const T extends string, S extends z.ZodType>(description: NodeDescription<S, T>): NodeDescription<S, T> {
  return description;
}

/** Collects string values of `key` in a list that may be malformed. */
export function idsOf(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const id = (item as Record<string, unknown> | null)?.[key];
    if (typeof id === 'string' && id !== '' && !out.includes(id)) out.push(id);
  }
  return out;
}

export function nameIf(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? [value] : [];
}
