import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { KPI_REGISTRY, type KpiDefinition, type KpiSums, type KpiValues, type RegisteredKpi } from '../../../../libs/kpis/registry';

/**
 * The KPI values of a report (`totals`, each of `groups`), documented from the KPI registry
 * (libs/kpis/registry) when this module loads: one property per KPI, with the registry's
 * description and nullability, one nested DTO per family. Adding a KPI to the registry adds it here;
 * nothing in this file names a numeric KPI. The classes are built, not declared, so the Swagger
 * plugin (scripts/openapi-metadata.cjs reads class declarations only) does not describe them twice.
 */

export class GoalConversionDto {
  @ApiProperty({ description: 'Goal name (the goal node’s `goal`)', example: 'purchase' })
  goal!: string;

  @ApiProperty({ description: 'Finished runs that recorded this goal at least once' })
  runs!: number;

  @ApiProperty({ description: 'runs / finished runs (0-1); null when the denominator is 0', type: Number, nullable: true })
  rate!: number | null;

  @ApiProperty({ description: 'Sum of the goal events’ `value`' })
  value!: number;
}

/** The ids of the KPIs whose value is not one number (or null). */
type StructuredKpiId = RegisteredKpi extends infer K
  ? K extends { id: infer I; derive: (s: KpiSums) => infer T }
    ? [T] extends [number | null]
      ? never
      : I
    : never
  : never;

/** How the document shows a KPI that is not one number; the compiler asks for one entry per such KPI. */
const STRUCTURED_KPIS: Record<StructuredKpiId, ApiPropertyOptions> = {
  outcomes: { type: 'object', additionalProperties: { type: 'number' }, example: { resolved: 120, escalated: 14 } },
  conversionPerGoal: { type: [GoalConversionDto] },
};

type FamilyKey = { [K in keyof typeof KPI_REGISTRY]: (typeof KPI_REGISTRY)[K] extends KpiDefinition ? never : K }[keyof typeof KPI_REGISTRY];

/**
 * What a family's nested DTO is called (`<Family>Dto` unless named here) and says as a property.
 * The names are the components the clients' generated types use: never rename one.
 */
const FAMILIES: { [K in FamilyKey]?: { name?: string; description?: string } } = {
  escalation: { name: 'EscalationKpiDto' },
  fcr: { description: 'First-contact resolution' },
  cost: { description: 'Cost per interaction' },
};

const isKpi = (x: object): x is RegisteredKpi => typeof (x as KpiDefinition).derive === 'function';

/** The registry speaks in lower case ("runs started"); the document in sentences. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function kpiProperty(kpi: RegisteredKpi): ApiPropertyOptions {
  const shape: ApiPropertyOptions | undefined = (STRUCTURED_KPIS as Record<string, ApiPropertyOptions>)[kpi.id];
  return { description: sentence(kpi.description), ...(shape ?? { type: Number, ...('nullable' in kpi ? { nullable: true } : {}) }) };
}

/** A DTO class named `name` with one documented property per KPI or family of `node`, in registry order. */
function kpiDtoClass(name: string, node: object): new () => object {
  const dto = class {};
  Object.defineProperty(dto, 'name', { value: name });
  for (const [key, child] of Object.entries(node) as [string, object][]) {
    if (isKpi(child)) {
      ApiProperty(kpiProperty(child))(dto.prototype, key);
      continue;
    }
    const family = (FAMILIES as Record<string, { name?: string; description?: string } | undefined>)[key];
    const type = kpiDtoClass(family?.name ?? `${sentence(key)}Dto`, child);
    ApiProperty({ type, ...(family?.description ? { description: family.description } : {}) })(dto.prototype, key);
  }
  return dto;
}

/** Every KPI of one group (or of the totals), as the registry declares them. */
export const KpiValuesDto = kpiDtoClass('KpiValuesDto', KPI_REGISTRY) as new () => KpiValues;
export type KpiValuesDto = KpiValues;
