import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

/**
 * Finds fixed sleeps in test code: an `await` of a timer. That is an awaited
 * `new Promise(... setTimeout ...)`, or an awaited call of a sleep helper: a
 * function whose whole body is such a promise (`const sleep = (ms) => new
 * Promise((r) => setTimeout(r, ms))`), defined in the file or imported from a
 * test helper that defines it. A helper that does more and sleeps inside (a
 * `settle()` that flushes, then sleeps) is reported once, at its own awaited
 * timer. A timer that only bounds something (`setTimeout(() => reject(...))`,
 * a kill timer) is not awaited and is not reported; nor is a condition wait
 * (`waitUntil`) or a polling helper's interval inside `Promise.race`.
 */
export interface FixedSleep {
  line: number;
  /** The source line, trimmed: what the allow-list matches. */
  code: string;
}

const parse = (fileName: string, source: string): ts.SourceFile => ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** `new Promise((r) => setTimeout(r, ms))` (or `setTimeout(() => r(), ms)`): a promise that a timer resolves, nothing else. */
function isTimerPromise(node: ts.Expression): boolean {
  node = unwrap(node);
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'Promise') return false;
  const executor = node.arguments?.[0];
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
  const resolve = executor.parameters[0]?.name;
  if (!resolve || !ts.isIdentifier(resolve)) return false;
  const resolves = (a: ts.Expression | undefined): boolean => {
    if (!a) return false;
    if (ts.isIdentifier(a)) return a.text === resolve.text;
    if (ts.isArrowFunction(a) && !ts.isBlock(a.body)) {
      const b = unwrap(a.body);
      return ts.isCallExpression(b) && ts.isIdentifier(b.expression) && b.expression.text === resolve.text;
    }
    return false;
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setTimeout' && resolves(n.arguments[0])) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(executor.body);
  return found;
}

/** The body's returned expression, when the function is one expression (or one return). */
function soleResult(fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (body === undefined) return undefined;
  if (!ts.isBlock(body)) return body;
  const [only] = body.statements;
  return body.statements.length === 1 && only !== undefined && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** Names of the pure sleep helpers a file defines (exported or not). */
export function sleepHelpersIn(fileName: string, source: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      const r = soleResult(node.initializer);
      if (r && isTimerPromise(r)) names.add(node.name.text);
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      const r = soleResult(node);
      if (r && isTimerPromise(r)) names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(fileName, source));
  return names;
}

/**
 * The fixed sleeps in one file. `helpersOf(path)` gives the sleep helpers a
 * repository file defines (for imports); paths are repository-relative.
 */
export function fixedSleepsIn(fileName: string, source: string, helpersOf: (path: string) => Set<string>): FixedSleep[] {
  const file = parse(fileName, source);
  const sleepy = new Set(sleepHelpersIn(fileName, source));
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith('.')) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    const target = normalize(join(dirname(fileName), st.moduleSpecifier.text.replace(/\.js$/, '.ts')));
    const defined = helpersOf(target);
    for (const el of named.elements) if (defined.has((el.propertyName ?? el.name).text)) sleepy.add(el.name.text);
  }
  const lines = source.split('\n');
  const found: FixedSleep[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAwaitExpression(node)) {
      const e = unwrap(node.expression);
      const sleepCall = ts.isCallExpression(e) && ts.isIdentifier(e.expression) && sleepy.has(e.expression.text);
      if (sleepCall || isTimerPromise(e)) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
        found.push({ line: line + 1, code: lines[line]!.trim() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
