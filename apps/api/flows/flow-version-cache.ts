import type { FlowStatus } from '../../../libs/flows/flow.repository';
import type { FlowDefinition } from '../../../workflows/language';

/**
 * How long a flow's head (status, latest published version) is answered from memory. A publish or
 * an archive through this process forgets the head at once (FlowsService); one made through another
 * API process is seen here within this bound: until then a start may still pin the previous latest
 * version, or start a run of a flow archived a moment ago (as if it had started just before).
 */
export const FLOW_HEAD_TTL_MS = 2_000;
/** Published definitions kept, least recently used dropped first: a few KB each. */
export const MAX_CACHED_VERSIONS = 500;
/** Heads are a few bytes each; the bound only keeps a flood of flow ids from growing the map. */
const MAX_CACHED_HEADS = 10_000;

/** What a start needs to know of a flow before it pins a version. */
export interface FlowHead {
  status: FlowStatus;
  latestVersion: number | null;
}

/**
 * The flows a start reads, kept per API process so a start of a warm flow costs no query before its
 * run row: published versions by (flow, version), which never change once published, and each
 * flow's head for FLOW_HEAD_TTL_MS. Access checks are not cached: the caller checks the actor's
 * scope on every start (FlowsService.versionForRun).
 */
export class FlowVersionCache {
  /** Tests lengthen it so a slow machine does not expire a head between two calls they measure. */
  headTtlMs = FLOW_HEAD_TTL_MS;
  private readonly heads = new Map<string, FlowHead & { expires: number }>();
  private readonly versions = new Map<string, FlowDefinition>();
  /**
   * Moves on every forget(): a head read from PostgreSQL before a publish committed is not stored
   * after the publish forgot it (it would be the old head, kept for a whole TTL).
   */
  private epoch = 0;

  /** The epoch to pass to rememberHead() for a head about to be read. */
  readEpoch(): number {
    return this.epoch;
  }

  head(flowId: string): FlowHead | undefined {
    const head = this.heads.get(flowId);
    if (!head) return undefined;
    if (head.expires > Date.now()) return { status: head.status, latestVersion: head.latestVersion };
    this.heads.delete(flowId);
    return undefined;
  }

  rememberHead(flowId: string, head: FlowHead, readEpoch: number): void {
    if (readEpoch !== this.epoch) return;
    this.heads.delete(flowId);
    if (this.heads.size >= MAX_CACHED_HEADS) this.heads.delete(this.heads.keys().next().value as string);
    this.heads.set(flowId, { status: head.status, latestVersion: head.latestVersion, expires: Date.now() + this.headTtlMs });
  }

  version(flowId: string, version: number): FlowDefinition | undefined {
    const key = `${flowId}@${version}`;
    const definition = this.versions.get(key);
    if (definition) {
      // Most recently used last: the Map's order is the eviction order.
      this.versions.delete(key);
      this.versions.set(key, definition);
    }
    return definition;
  }

  rememberVersion(flowId: string, version: number, definition: FlowDefinition): void {
    const key = `${flowId}@${version}`;
    this.versions.delete(key);
    if (this.versions.size >= MAX_CACHED_VERSIONS) this.versions.delete(this.versions.keys().next().value as string);
    this.versions.set(key, definition);
  }

  /** The flow's status or latest version changed (publish, archive): the next start reads it again. */
  forget(flowId: string): void {
    this.epoch++;
    this.heads.delete(flowId);
  }

  get size(): { heads: number; versions: number } {
    return { heads: this.heads.size, versions: this.versions.size };
  }
}
