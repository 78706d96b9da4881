/* eslint-disable @typescript-eslint/no-explicit-any */
// The KPI values of GET /api/kpis are documented from the KPI registry: this reads the API's OpenAPI
// document (built from the sources, as test/ui-api-types.spec.ts does) and checks that it lists
// exactly the registry's KPIs, each as the registry declares it, under the component names the
// clients' generated types already use.
import type { INestApplication } from '@nestjs/common';
import { KPI_LIST } from '../../../../libs/kpis/registry';
import { apiDocument, createApiDocumentApp } from '../../app.factory';

describe('the KPI values in the OpenAPI document', () => {
  let schemas: Record<string, any>;
  beforeAll(async () => {
    const app: INestApplication = await createApiDocumentApp();
    try {
      schemas = apiDocument(app).components!.schemas as Record<string, any>;
    } finally {
      await app.close();
    }
  }, 60_000);

  const resolve = (s: any): any => (s?.$ref ? schemas[s.$ref.split('/').pop()] : s?.allOf?.[0]?.$ref ? resolve(s.allOf[0]) : s);
  /** Every leaf property under `schema`, by its dotted path. */
  const leaves = (schema: any, path: string[] = []): [string, any, any][] =>
    Object.entries<any>(schema.properties ?? {}).flatMap(([key, property]) => {
      const target = resolve(property);
      return target?.properties && property.type !== 'array' ? leaves(target, [...path, key]) : [[[...path, key].join('.'), property, schema]];
    });

  it('lists exactly the KPIs of the registry, in its order', () => {
    expect(leaves(schemas.KpiValuesDto).map(([path]) => path)).toEqual(KPI_LIST.map(({ path }) => path.join('.')));
  });

  it('documents each KPI with its registry description, as a required number, nullable where the registry says so', () => {
    const byPath = new Map(leaves(schemas.KpiValuesDto).map(([path, property, parent]) => [path, { property, parent }]));
    for (const { path, kpi } of KPI_LIST) {
      const { property, parent } = byPath.get(path.join('.'))!;
      const key = path[path.length - 1];
      expect([kpi.id, property.description.toLowerCase()]).toEqual([kpi.id, kpi.description.toLowerCase()]);
      expect([kpi.id, parent.required]).toEqual([kpi.id, expect.arrayContaining([key])]);
      if (kpi.id === 'outcomes') expect(property).toMatchObject({ type: 'object', additionalProperties: { type: 'number' } });
      else if (kpi.id === 'conversionPerGoal') expect(property).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/GoalConversionDto' } });
      else expect([kpi.id, property.type, property.nullable === true]).toEqual([kpi.id, 'number', 'nullable' in kpi]);
    }
  });

  it('keeps the family components and their descriptions the clients know', () => {
    const families = Object.fromEntries(Object.entries<any>(schemas.KpiValuesDto.properties).filter(([, p]) => !p.type));
    const refs = Object.fromEntries(Object.entries<any>(families).map(([key, p]) => [key, (p.$ref ?? p.allOf[0].$ref).split('/').pop()]));
    expect(refs).toEqual({
      responseTime: 'ResponseTimeDto',
      escalation: 'EscalationKpiDto',
      aiResolution: 'AiResolutionDto',
      fcr: 'FcrDto',
      csat: 'CsatDto',
      abandonment: 'AbandonmentDto',
      failures: 'FailuresDto',
      timeToResolution: 'TimeToResolutionDto',
      conversion: 'ConversionDto',
      cost: 'CostDto',
      roi: 'RoiDto',
    });
    expect(families.fcr.description).toBe('First-contact resolution');
    expect(families.cost.description).toBe('Cost per interaction');
  });

  it('gives each report group the same KPIs, then its flow, version and period', () => {
    const own = ['flowId', 'version', 'period'];
    expect(Object.keys(schemas.KpiGroupDto.properties)).toEqual([...Object.keys(schemas.KpiValuesDto.properties), ...own]);
    expect(schemas.KpiGroupDto.required).toEqual(expect.arrayContaining([...schemas.KpiValuesDto.required, ...own]));
  });
});
