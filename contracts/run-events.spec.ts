import path from 'node:path';
import ts from 'typescript';
import { RUN_EVENT_TYPES, RunEventType } from './run-events';

const root = path.resolve(__dirname, '..');

/**
 * Every event type the interpreter can emit, read by the type checker from each `run.emit(...)` call's
 * first argument (a literal, or a union such as `escalation.${'resolved' | 'returned'}`), so an event of
 * the contract that no node emits is found without running a flow.
 */
function emittedByInterpreter(): { types: Set<string>; calls: number } {
  const dir = path.join(root, 'workflows/interpreter');
  const files = ts.sys.readDirectory(dir, ['.ts'], undefined, ['**/*']).filter((f) => !/\.(spec|itest)\.ts$/.test(f) && !f.includes('__histories__'));
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const types = new Set<string>();
  let calls = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'emit' && node.arguments.length > 0) {
      calls++;
      const t = checker.getTypeAtLocation(node.arguments[0]);
      for (const part of t.isUnion() ? t.types : [t]) {
        if (!part.isStringLiteral()) throw new Error(`${node.getSourceFile().fileName}: emit with a non-literal type ${checker.typeToString(t)}`);
        types.add(part.value);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of program.getSourceFiles()) if (files.includes(sf.fileName)) visit(sf);
  return { types, calls };
}

describe('the run-event contract', () => {
  // Type-checking the interpreter takes a few seconds.
  const emitted = emittedByInterpreter();

  it('finds the emit calls (a broken scan would pass everything)', () => {
    expect(emitted.calls).toBeGreaterThan(25);
    expect(emitted.types.has('run.finished')).toBe(true);
  });

  it.each(RUN_EVENT_TYPES.map((t) => [t]))('the interpreter can emit %s', (type: RunEventType) => {
    expect(emitted.types.has(type)).toBe(true);
  });

  it('emits no type outside the contract (the compiler already refuses it; this guards casts)', () => {
    expect([...emitted.types].filter((t) => !(RUN_EVENT_TYPES as readonly string[]).includes(t))).toEqual([]);
  });
});
