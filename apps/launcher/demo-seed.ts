import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_FLOWS } from '../../workflows/language/examples';
import type { Logger } from '../../libs/runtime/log';

/**
 * The first ten minutes: an install that starts with no flow gets the example journeys as drafts
 * (the support example published, so the README's chat example answers at once) and a small
 * Spanish/English help centre (examples/help-centre/) in the `support` collection, which the support
 * example's «Responder con la base de conocimiento» reads. `CAUCE_DEMO=off` skips it.
 *
 * Everything goes through the API with the admin key, the way an editor would do it, so it is
 * validated, audited and indexed like any other change. It runs once per data folder (a marker file):
 * deleting the examples later does not bring them back.
 */
export const DEMO_FLOWS: { key: keyof typeof EXAMPLE_FLOWS; name: string; publish: boolean }[] = [
  { key: 'supportTriage', name: 'Ejemplo: triaje de soporte', publish: true },
  { key: 'abandonedCart', name: 'Ejemplo: carrito abandonado', publish: false },
  { key: 'churnRouting', name: 'Ejemplo: riesgo de baja', publish: false },
  { key: 'abExperiment', name: 'Ejemplo: experimento A/B', publish: false },
];
export const DEMO_COLLECTION = 'support';
const MARKER = 'demo-seeded';

/** examples/help-centre next to the built launcher (dist/apps/launcher) or the sources. */
function helpCentreDir(): string | undefined {
  const candidates = [path.resolve(__dirname, '../../../examples/help-centre'), path.resolve(__dirname, '../../examples/help-centre')];
  return candidates.find((d) => fs.existsSync(d));
}

export async function seedDemo(options: { baseUrl: string; adminKey: string; dataDir: string; log: Logger }): Promise<'seeded' | 'skipped'> {
  const { baseUrl, adminKey, dataDir, log } = options;
  const marker = path.join(dataDir, MARKER);
  if (fs.existsSync(marker)) return 'skipped';
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} /api${route} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  // An install that already has flows (another data folder's database, a restore) is left alone.
  const existing = (await call('GET', '/flows?limit=1')) as { items?: unknown[] };
  if ((existing.items ?? []).length > 0) {
    fs.writeFileSync(marker, 'existing flows found: nothing seeded\n');
    return 'skipped';
  }
  const dir = helpCentreDir();
  let articles = 0;
  if (dir) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const locale = /-en\.md$/.test(file) ? 'en' : 'es';
      const out = (await call('POST', '/knowledge/import', {
        collection: DEMO_COLLECTION,
        files: [{ name: file, content: fs.readFileSync(path.join(dir, file), 'utf8') }],
        locale,
      })) as {
        created?: number;
      };
      articles += out.created ?? 0;
    }
  } else log.warn('examples/help-centre not found: the support example starts with an empty knowledge base');
  for (const flow of DEMO_FLOWS) {
    const created = (await call('POST', '/flows', { name: flow.name, definition: EXAMPLE_FLOWS[flow.key] })) as { id: string };
    if (flow.publish) await call('POST', `/flows/${created.id}/publish`);
  }
  fs.writeFileSync(marker, `seeded ${new Date().toISOString()}\n`);
  log.info(
    `a first start: ${DEMO_FLOWS.length} example flows (the support one published) and ${articles} help-centre articles added (CAUCE_DEMO=off skips this)`,
  );
  return 'seeded';
}
