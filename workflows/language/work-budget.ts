/**
 * Counted work limits for author-supplied rules and templates. A runaway rule or template must fail
 * its own node, deterministically (so replay agrees), and long before Temporal's deadlock detector
 * (2 s of workflow-thread CPU) could fire and take the worker down with it. Units are counted, never
 * timed: the same input runs out at the same point on every machine.
 */
export type BudgetKind = 'rule' | 'template';

export class WorkBudgetExceeded extends Error {
  override readonly name = 'WorkBudgetExceeded';
  constructor(
    readonly kind: BudgetKind,
    readonly limit: number,
  ) {
    super(kind === 'rule' ? `The rule does too much work (over ${limit} steps)` : `The template does too much work (over ${limit} units)`);
  }
}

/**
 * Every unit charged by any budget in this thread, ever. Read before and after a synchronous stretch
 * of one run's code (nothing else runs in between), its difference is the work that stretch did: the
 * interpreter adds it up between waits, so a loop of nodes that each stay under their own budget
 * still cannot hold the workflow thread.
 */
let totalCharged = 0;

export const workCharged = (): number => totalCharged;

export class WorkBudget {
  private used = 0;
  constructor(
    readonly limit: number,
    readonly kind: BudgetKind,
  ) {}

  /** Adds `units`; throws `WorkBudgetExceeded` once the total passes the limit. */
  charge(units: number): void {
    this.used += units;
    totalCharged += units;
    if (this.used > this.limit) throw new WorkBudgetExceeded(this.kind, this.limit);
  }

  get spent(): number {
    return this.used;
  }
}
