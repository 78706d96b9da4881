import fs from 'node:fs';
import path from 'node:path';
import { NODE_CATALOG } from '../../language/catalog';
import { HANDLED_NODE_TYPES, handlerFor } from '.';

const DESCRIPTIONS = path.resolve(__dirname, '../../language/nodes');

/** The `.ts` files of a folder, tests left out. */
const sources = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

/** Description files (those that call defineNode) by the node type they declare. */
function descriptionFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of sources(DESCRIPTIONS)) {
    const text = fs.readFileSync(path.join(DESCRIPTIONS, file), 'utf8');
    const type = /defineNode\(\{\s*type:\s*'([^']+)'/.exec(text)?.[1];
    if (type) out.set(type, file);
  }
  return out;
}

describe('node handlers', () => {
  it('every node type of the catalog has a handler, and there is no other', () => {
    // The compiler already refuses a missing one (NodeHandlers); this guards casts.
    expect([...HANDLED_NODE_TYPES].sort()).toEqual(NODE_CATALOG.map((d) => d.type).sort());
    for (const { type } of NODE_CATALOG) expect([type, typeof handlerFor(type)]).toEqual([type, 'function']);
  });

  it('keeps each handler in the file named like its description, typed by that node type', () => {
    const descriptions = descriptionFiles();
    expect(descriptions.size).toBe(NODE_CATALOG.length);
    for (const [type, file] of descriptions) {
      const handler = path.join(__dirname, file);
      expect([file, fs.existsSync(handler)]).toEqual([file, true]);
      expect([file, fs.readFileSync(handler, 'utf8').includes(`HandlerOf<'${type}'>`)]).toEqual([file, true]);
    }
  });

  it('has no handler file without a description (helpers live in helpers/)', () => {
    const paired = new Set([...descriptionFiles().values(), 'custom-activity.ts', 'index.ts', 'types.ts']);
    expect(sources(__dirname).filter((f) => !paired.has(f))).toEqual([]);
  });

  it('runs custom activities (`activity:<name>`) and no unknown type', () => {
    expect(typeof handlerFor('activity:loyaltyPoints')).toBe('function');
    expect(handlerFor('activity:')).toBeUndefined();
    expect(handlerFor('teleport')).toBeUndefined();
    expect(handlerFor('toString')).toBeUndefined();
  });
});
