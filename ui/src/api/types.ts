/**
 * The API's shapes under the names the editor uses. They are aliases of `schema.d.ts`, which
 * `npm run gen:api-types` generates from the API's OpenAPI document (the apps/api DTOs), so a DTO
 * change reaches the editor's types by regeneration, not by hand. A few aliases refine the document
 * where it is looser than what the editor relies on (each says why); the dashboard's own view models
 * at the end are not API shapes and stay written here.
 */
import type { FlowDefinition, FlowProblem, PaletteEntry } from '../../../workflows/language';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
/** The query parameters of an operation (`operations` in schema.d.ts). */
type QueryOf<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

export type Me = Schemas['MeDto'];
export type Role = Me['role'];
export type Locale = Schemas['PaletteDto']['locale'];

/**
 * The API's error body `{ statusCode, error, message, details? }`. Refined: `details.errors` is what
 * a 422 of publish or a test run carries (the document types `details` as free-form), and `message`
 * may be a list when Nest answers before the API's own filter (a body-parser error).
 */
export type ApiErrorBody = Omit<Schemas['ApiErrorDto'], 'message' | 'details'> & {
  message: string | string[];
  details?: { errors?: FlowProblem[]; [key: string]: unknown };
};

// ---- flows -------------------------------------------------------------------------------------
export type FlowSummary = Schemas['FlowSummaryDto'];
export type FlowStatus = FlowSummary['status'];
/**
 * Refined: the draft is the flow language's `FlowDefinition` (typed node data), which the API
 * validates; the document only says "nodes and edges".
 */
export type Flow = Omit<Schemas['FlowDto'], 'draft'> & { draft: FlowDefinition };

/** A page of a list the API pages by cursor (flows, runs). Generic here; the document has one per list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Refined: the problems are the flow language's own `FlowProblem`s, which the API passes on as its
 * validator made them (the same validator the editor runs in its Web Worker).
 */
export type ValidationResult = Omit<Schemas['ValidationResultDto'], 'errors' | 'warnings'> & { errors: FlowProblem[]; warnings: FlowProblem[] };
export type PublishResult = Omit<Schemas['PublishResultDto'], 'warnings'> & { warnings: FlowProblem[] };
export type FlowVersionSummary = Schemas['FlowVersionSummaryDto'];
/** Refined like `Flow`: a published definition is a `FlowDefinition`. */
export type FlowVersion = Omit<Schemas['FlowVersionDto'], 'definition'> & { definition: FlowDefinition };
export type DiffSection = Schemas['DiffSectionDto'];
export type FlowDiff = Schemas['FlowDiffDto'];

/** Refined: each entry is the flow language's `PaletteEntry` (its `dataSchema` is a JSON Schema the form renders). */
export type Palette = Omit<Schemas['PaletteDto'], 'items'> & { items: PaletteEntry[] };

// ---- runs --------------------------------------------------------------------------------------
export type RunSummary = Schemas['RunSummaryDto'];
export type RunStatus = RunSummary['status'];
export type Run = Schemas['RunDto'];
export type WaitingFor = Run['waitingFor'];
export type Button = Schemas['ButtonDto'];
export type Reply = Schemas['ReplyDto'];
export type TranscriptEntry = Schemas['TranscriptEntryDto'];
export type PathStep = Schemas['PathStepDto'];
export type Escalation = Schemas['EscalationDto'];
export type RunStarted = Schemas['RunStartedDto'];
export type MessageResult = Schemas['MessageResultDto'];

/**
 * `GET /runs` filters. Refined: `status` is whatever the runs page's URL says; the API refuses an
 * unknown one with 400, which the page shows.
 */
export type RunFilters = Omit<QueryOf<'RunsController_list'>, 'status'> & { status?: string };

/** A business or agent event sent to one run (`POST /runs/:runId/business-events`). */
export type BusinessEvent = Schemas['PostRunEventDto'];
/** What a run recorded (`GET /runs/:runId/events`): the events the KPIs read. Not a `BusinessEvent`. */
export type RunEvent = Schemas['RunEventDto'];

// ---- KPIs: the API's shapes (apps/api/kpis/dto) -------------------------------------------------
export type ApiKpiValues = Schemas['KpiValuesDto'];
export type ApiKpiReport = Schemas['KpiReportDto'];
export type ApiExperimentReport = Schemas['ExperimentReportDto'];
export type ApiTrafficReport = Schemas['TrafficReportDto'];

// ---- API keys (admin) --------------------------------------------------------------------------
/** A key as `GET /api-keys` lists it: never the key itself, only its first characters. */
export type ApiKey = Schemas['ApiKeyDto'];
/** `POST /api-keys`: the new key with the secret, shown this once. */
export type CreatedApiKey = Schemas['CreatedApiKeyDto'];
export type CreateApiKeyBody = Schemas['CreateApiKeyDto'];

// ---- AI nodes ----------------------------------------------------------------------------------
/** «Probar frases» of an ai.classify node (`POST /ai/classify/try`). */
export type ClassifyTryBody = Schemas['ClassifyTryDto'];
export type ClassifyTryResult = Schemas['ClassifyTryResultDto'];
export type ClassifiedPhrase = Schemas['ClassifiedPhraseDto'];
export type IntentWarning = Schemas['IntentWarningDto'];

// ---- KPIs as the dashboard renders them ---------------------------------------------------------
// Not API shapes: what ui/src/api/kpis.ts makes of the KPI answers for the charts and tiles (one
// number per KPI, a time series, experiment variants with their interval as a pair). Hand-written
// because nothing in the document describes them: `KpiKey` names the dashboard's tiles, not API
// properties (`csat` is csat.average, `timeToResolutionP50Ms` is p50Seconds in ms; see api/kpis.ts).
// What is an API value keeps the API's type.
export type KpiKey =
  | 'responseTimeP50Ms'
  | 'responseTimeP95Ms'
  | 'escalationRate'
  | 'aiResolutionRate'
  | 'fcrRate'
  | 'csat'
  | 'abandonmentRate'
  | 'conversionRate'
  | 'timeToResolutionP50Ms'
  | 'costPerInteractionUsd'
  | 'roi';

export interface KpiPoint {
  /** The bucket start (ISO). */
  at: string;
  runs: number;
  values: Partial<Record<KpiKey, number | null>>;
}

export interface KpiReport {
  runs: number;
  values: Partial<Record<KpiKey, number | null>>;
  /** How many answered a CSAT survey, escalated, ... (context for the values). */
  counts: { csatResponses: number; escalated: number; converted: number };
  outcomes: ApiKpiValues['outcomes'];
  series: KpiPoint[];
}

export interface ExperimentVariant {
  id: string;
  isControl: boolean;
  exposures: number;
  conversions: number;
  rate: number | null;
  lift: number | null;
  /** The test's own p-value, and the Holm-adjusted one significance is decided on (the same with two variants). */
  pValue: number | null;
  pValueAdjusted: number | null;
  /** Confidence interval of the difference with the control, at the experiment's `ciLevel`. */
  interval: [number, number] | null;
  probabilityBest: number | null;
  significant: boolean;
}

type ApiExperiment = Schemas['ExperimentResultDto'];

export interface ExperimentResult extends Pick<
  ApiExperiment,
  'experiment' | 'nodeId' | 'goal' | 'control' | 'status' | 'winner' | 'minSample' | 'comparisons' | 'ciLevel'
> {
  /** `holm` with more than one comparison with the control. */
  correction: ApiExperiment['correction'];
  variants: ExperimentVariant[];
}

export interface TrafficReport {
  runs: number;
  edges: { id: string | null; source: string; sourceHandle: string | null; target: string | null; count: number; share: number | null }[];
  nodes: { nodeId: string; entered: number; dropOff: number; dropOffRate: number | null }[];
}
