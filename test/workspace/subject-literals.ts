import ts from 'typescript';
import { patterns, routerOrderTraceSubject, routerReconcileSubject, subjects } from '@perpetua/core';

/**
 * Finds bus subjects written as string literals. A subject is built in
 * libs/core (subjects, patterns), where it carries its schema; one spelled
 * out elsewhere escapes the type check and drifts when the table changes.
 *
 * What counts: a string literal, or a template literal's text before its
 * first substitution, that begins with a subject root of the table. A root
 * is a subject's first token, with its second when that is a fixed word
 * (`md.bbo`, `risk.state`, `fill`, `control`); the roots come from the
 * builders themselves, so a new subject is covered without editing this.
 * A literal matches a root if it is the root (two-token roots only: `fill`
 * alone is an ordinary word), starts with the root and a dot, or is a
 * template head that a root continues (`md.${kind}.>`). Comments are not
 * literals and are not read.
 */
export function subjectRoots(): string[] {
  const samples: string[] = [];
  const builders = [...Object.values(subjects), ...Object.values(patterns), routerOrderTraceSubject, routerReconcileSubject];
  for (const b of builders) {
    if (typeof b === 'string') samples.push(b);
    else samples.push((b as (...args: string[]) => string)(...Array.from({ length: b.length }, () => 'X')));
  }
  const roots = new Set<string>();
  for (const s of samples) {
    const [first, second] = s.split('.');
    roots.add(second === undefined || second === 'X' || second === '*' || second === '>' ? first! : `${first}.${second}`);
  }
  return [...roots].sort();
}

export interface SubjectLiteral {
  line: number;
  text: string;
}

function matches(text: string, isTemplateHead: boolean, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const twoTokens = root.includes('.');
    if (text.startsWith(`${root}.`) || (twoTokens && text === root && !isTemplateHead)) return true;
    // A head the substitution completes into a root: `md.${kind}` (but not a bare word like `fill${x}`).
    return isTemplateHead && text.includes('.') && (`${root}.`.startsWith(text) || (twoTokens && root.startsWith(text)));
  });
}

/** The subject literals in one file's source. */
export function subjectLiteralsIn(fileName: string, source: string, roots: readonly string[]): SubjectLiteral[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: SubjectLiteral[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    let head = false;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) {
      text = node.head.text;
      head = true;
    }
    if (text !== undefined && matches(text, head, roots)) found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
