/**
 * What the canvas shows on top of the flow (problems, the node a run is in, the path it took,
 * traffic, diff marks) lives in this small external store, not in node `data` (which stays the
 * serialisable flow data). Each node subscribes to its own entry, so a change re-renders only the
 * nodes it touches: a 300-node flow stays responsive.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';

export interface NodeSignal {
  errors: number;
  warnings: number;
  messages: string[];
  active: boolean;
  visited: boolean;
  entered: number | null;
  dropOff: number | null;
  diff: 'added' | 'changed' | null;
}

export const EMPTY_SIGNAL: NodeSignal = Object.freeze({
  errors: 0,
  warnings: 0,
  messages: [],
  active: false,
  visited: false,
  entered: null,
  dropOff: null,
  diff: null,
}) as NodeSignal;

export interface ProblemMark {
  errors: number;
  warnings: number;
  messages: string[];
}

type Layers = {
  problems: Map<string, ProblemMark>;
  active: string | null;
  visited: Set<string>;
  traffic: Map<string, { entered: number | null; dropOff: number | null }>;
  diff: Map<string, 'added' | 'changed'>;
};

function same(a: NodeSignal, b: NodeSignal): boolean {
  return (
    a.errors === b.errors &&
    a.warnings === b.warnings &&
    a.active === b.active &&
    a.visited === b.visited &&
    a.entered === b.entered &&
    a.dropOff === b.dropOff &&
    a.diff === b.diff &&
    a.messages.length === b.messages.length &&
    a.messages.every((m, i) => m === b.messages[i])
  );
}

export class CanvasSignals {
  private layers: Layers = { problems: new Map(), active: null, visited: new Set(), traffic: new Map(), diff: new Map() };
  private readonly byNode = new Map<string, NodeSignal>();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (id: string): NodeSignal => this.byNode.get(id) ?? EMPTY_SIGNAL;

  private compute(id: string): NodeSignal {
    const l = this.layers;
    const p = l.problems.get(id);
    const tr = l.traffic.get(id);
    return {
      errors: p?.errors ?? 0,
      warnings: p?.warnings ?? 0,
      messages: p?.messages ?? [],
      active: l.active === id,
      visited: l.visited.has(id),
      entered: tr?.entered ?? null,
      dropOff: tr?.dropOff ?? null,
      diff: l.diff.get(id) ?? null,
    };
  }

  private set<K extends keyof Layers>(name: K, value: Layers[K], touched: Iterable<string>): void {
    this.layers = { ...this.layers, [name]: value };
    let changed = false;
    for (const id of new Set(touched)) {
      const next = this.compute(id);
      const prev = this.byNode.get(id) ?? EMPTY_SIGNAL;
      if (!same(prev, next)) {
        if (same(next, EMPTY_SIGNAL)) this.byNode.delete(id);
        else this.byNode.set(id, next);
        changed = true;
      }
    }
    if (changed) for (const l of this.listeners) l();
  }

  setProblems(problems: Map<string, ProblemMark>): void {
    this.set('problems', problems, [...this.layers.problems.keys(), ...problems.keys()]);
  }

  setActive(id: string | null): void {
    this.set(
      'active',
      id,
      [this.layers.active, id].filter((x): x is string => !!x),
    );
  }

  setVisited(ids: Set<string>): void {
    this.set('visited', ids, [...this.layers.visited, ...ids]);
  }

  setTraffic(traffic: Map<string, { entered: number | null; dropOff: number | null }>): void {
    this.set('traffic', traffic, [...this.layers.traffic.keys(), ...traffic.keys()]);
  }

  setDiff(diff: Map<string, 'added' | 'changed'>): void {
    this.set('diff', diff, [...this.layers.diff.keys(), ...diff.keys()]);
  }
}

export const SignalsContext = createContext<CanvasSignals>(new CanvasSignals());

export function useNodeSignal(id: string): NodeSignal {
  const store = useContext(SignalsContext);
  return useSyncExternalStore(
    store.subscribe,
    () => store.get(id),
    () => store.get(id),
  );
}
