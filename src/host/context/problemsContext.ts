// The problems kind's collector: the diagnostics VS Code knows for a document (every language's, the
// Problems view's), all of them or those touching a range.
import * as vscode from 'vscode';
import { problemsAttachment } from '../../core/attachmentBuilders';
import type { Problem, ProblemSeverity } from '../../core/attachments';
import { displayPath } from '../selection';
import { collected, type Collected, refused } from './collected';

const SEVERITY: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function problemOf(d: vscode.Diagnostic): Problem {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  return {
    severity: SEVERITY[d.severity],
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(code ? { code } : {}),
    startLine: d.range.start.line + 1,
    startColumn: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

/** The problems of `doc` within `lines` (1-based, inclusive; the whole document when omitted). */
export function problemsFor(doc: vscode.TextDocument, lines?: { start: number; end: number }, diagnostics = vscode.languages.getDiagnostics(doc.uri)): Collected {
  const start = lines?.start ?? 1;
  const end = lines?.end ?? doc.lineCount;
  const a = problemsAttachment({
    path: displayPath(doc.uri),
    uri: doc.uri.toString(),
    languageId: doc.languageId,
    startLine: start,
    endLine: Math.max(start, end),
    problems: diagnostics.map(problemOf),
    lineText: (n) => (n >= 1 && n <= doc.lineCount ? doc.lineAt(n - 1).text : undefined),
  });
  if (a.problems.length === 0) return refused(`${a.path} has no problems${lines ? ` in lines ${start}-${end}` : ''}; the Problems view lists none for it.`);
  return collected(a);
}
