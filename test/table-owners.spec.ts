import fs from 'node:fs';
import path from 'node:path';

/**
 * One owner per table: every table is written by exactly one module (DESIGN.md, "Each table has one
 * writer"), so a table's writes have one name each and one place to read when its schema changes.
 * Other modules call the owner's named methods (e.g. libs/outbox/outbox.repository.ts for the
 * notify activity, the outbox dispatch and the API).
 *
 * The scan reads the non-test sources of the server layers and finds:
 * - SQL writes: `INSERT INTO t`, `UPDATE t`, `DELETE FROM t`, `TRUNCATE t` (an upsert's
 *   `ON CONFLICT ... DO UPDATE` is part of its INSERT; `FOR UPDATE` is a lock, not a write), and
 *   writes on a computed table name (`DELETE FROM ${table}`) when the helper that builds them is
 *   called with literal names in the same file;
 * and no TypeORM entity, entity repository or `dataSource.query` at all: one data-access style
 * (plain SQL over a `pg` Pool in a repository), so every write is SQL this scan can read. TypeORM
 * stays only as the connection and migration runner (libs/db).
 * Migrations, tests, benchmarks and scripts may write anything.
 */

const root = path.resolve(__dirname, '..');
const SCANNED = ['apps', 'libs', 'activities', 'upkeep', 'workflows'];
const SKIP_FILE = /\.(spec|itest|faults)\.tsx?$|\.d\.ts$/;
const SKIP_DIR = new Set(['node_modules', 'migrations', '__fixtures__', '__histories__', 'test']);

/**
 * Folders that own a table as a whole (a feature's repository split into several files). Empty
 * today: every owner is one file.
 */
const FOLDER_OWNERS: string[] = [];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.has(entry.name)) out.push(...sources(rel));
    } else if (/\.tsx?$/.test(entry.name) && !SKIP_FILE.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The code without comments (a comment may name a statement it does not run). */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const WRITE = String.raw`(?:INSERT\s+INTO|(?<!FOR\s)(?<!DO\s)UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?`;

/** The tables a piece of code writes with SQL, and whether some write's table could not be named. */
export function sqlWrites(code: string): { tables: Set<string>; unresolved: string[] } {
  const tables = new Set<string>();
  for (const m of code.matchAll(new RegExp(`${WRITE}([a-z_][a-z0-9_]*)\\b`, 'g'))) tables.add(m[1]);
  // Writes on a computed name: `const deleteKeys = (table: string) => \`DELETE FROM ${table} ...\``,
  // resolved through the helper's calls with a literal name in the same file.
  const unresolved: string[] = [];
  for (const m of code.matchAll(new RegExp(`${WRITE}\\$\\{\\s*(\\w+)\\s*\\}`, 'g'))) {
    const param = m[1];
    const before = code.slice(0, m.index);
    const helper = [...before.matchAll(new RegExp(String.raw`(?:const|function)\s+(\w+)\s*=?\s*\(\s*${param}\b`, 'g'))].pop()?.[1];
    const calls = helper ? [...code.matchAll(new RegExp(String.raw`\b${helper}\(\s*['"]([a-z_][a-z0-9_]*)['"]`, 'g'))].map((c) => c[1]) : [];
    if (calls.length === 0) unresolved.push(m[0]);
    for (const t of calls) tables.add(t);
  }
  return { tables, unresolved };
}

/** TypeORM used for data access (entities, their repositories, the query builder, raw queries): SQL this scan could not read. */
const TYPEORM_DATA_ACCESS =
  /@Entity\(|\bgetRepository\(|\bInjectRepository\(|\bRepository<|\bEntityManager\b|\.createQueryBuilder\(|\bdataSource\.(query|transaction)\(/;

const ownerOf = (file: string) => FOLDER_OWNERS.find((f) => file.startsWith(`${f}/`)) ?? file;

/** table -> the modules that write it. */
function writers(): { byTable: Map<string, Set<string>>; unresolved: string[]; typeorm: string[] } {
  const files = SCANNED.flatMap(sources).map((file) => ({ file, code: withoutComments(fs.readFileSync(path.join(root, file), 'utf8')) }));
  const byTable = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  const typeorm: string[] = [];
  for (const { file, code } of files) {
    const sql = sqlWrites(code);
    unresolved.push(...sql.unresolved.map((w) => `${file}: ${w}`));
    const orm = TYPEORM_DATA_ACCESS.exec(code);
    if (orm) typeorm.push(`${file}: ${orm[0]}`);
    for (const table of sql.tables) {
      if (!byTable.has(table)) byTable.set(table, new Set());
      byTable.get(table)!.add(ownerOf(file));
    }
  }
  return { byTable, unresolved, typeorm };
}

function ownerTable(byTable: Map<string, Set<string>>): string {
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, owners]) => `${table.padEnd(24)} ${[...owners].sort().join(', ')}`)
    .join('\n');
}

describe('table owners', () => {
  const { byTable, unresolved, typeorm } = writers();

  it('each table has exactly one module that writes it', () => {
    const shared = [...byTable].filter(([, owners]) => owners.size > 1).map(([table]) => table);
    // On failure, the whole owner table: which module should own the table, and who else writes it.
    if (shared.length > 0) throw new Error(`tables with more than one writer: ${shared.join(', ')}\n\nwho writes which table:\n${ownerTable(byTable)}`);
    expect(shared).toEqual([]);
  });

  it('names the table of every write it finds', () => {
    expect(unresolved).toEqual([]);
  });

  it('finds every write in SQL: no TypeORM entities, entity repositories or dataSource.query (one data-access style)', () => {
    expect(typeorm).toEqual([]);
    expect(TYPEORM_DATA_ACCESS.test('@Entity({ name: "flows" }) class FlowEntity {}')).toBe(true);
    expect(TYPEORM_DATA_ACCESS.test('await this.dataSource.query(`SELECT 1`)')).toBe(true);
    expect(TYPEORM_DATA_ACCESS.test('await this.pool.query(`SELECT 1`)')).toBe(false);
  });

  it('sees the writes it checks (a scan that found nothing would pass everything)', () => {
    expect(byTable.size).toBeGreaterThanOrEqual(20);
    const owner = (table: string) => [...(byTable.get(table) ?? [])];
    expect(owner('runs')).toEqual(['libs/runs-index/run-index.repository.ts']);
    expect(owner('run_events')).toEqual(['libs/run-events/run-event.repository.ts']);
    expect(owner('outbox')).toEqual(['libs/outbox/outbox.repository.ts']);
    expect(owner('customers')).toEqual(['libs/customers/customer.repository.ts']);
    expect(owner('knowledge_articles')).toEqual(['libs/knowledge/knowledge-article.repository.ts']);
    expect(owner('alerts')).toEqual(['libs/kpis/alert.repository.ts']);
    expect(owner('alert_rules')).toEqual(['libs/kpis/alert.repository.ts']);
    expect(owner('flows')).toEqual(['libs/flows/flow.repository.ts']);
    expect(owner('flow_versions')).toEqual(['libs/flows/flow.repository.ts']);
    expect(owner('api_keys')).toEqual(['libs/api-keys/api-key.repository.ts']);
    expect(owner('audit_log')).toEqual(['libs/audit/audit.repository.ts']);
    // A computed table name is resolved.
    expect(owner('kpi_edge_daily')).toEqual(['libs/kpis/rollups.ts']);
  });

  it('reads SQL the way the header says', () => {
    const code = withoutComments(`
      // UPDATE in_a_comment SET x = 1
      /* DELETE FROM in_a_block */
      q(\`INSERT INTO upserted (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a\`);
      q(\`SELECT 1 FROM locked WHERE id = $1 FOR UPDATE\`);
      q(\`UPDATE touched SET n = n + 1\`);
      q(\`TRUNCATE TABLE emptied\`);
      const clear = (table: string) => \`DELETE FROM \${table} WHERE day = $1\`;
      q(clear('daily_a')); q(clear("daily_b"));
      const lost = (name: string) => \`UPDATE \${name} SET x = 1\`;
    `);
    const { tables, unresolved } = sqlWrites(code);
    expect([...tables].sort()).toEqual(['daily_a', 'daily_b', 'emptied', 'touched', 'upserted']);
    expect(unresolved).toEqual(['UPDATE ${name}']);
  });
});
