// Context kinds in the real extension host, each reaching the request under its header: the current file
// (saved and untitled, and one cut to the limit), problems from a real DiagnosticCollection, the quick
// fix, the uncommitted changes of a real git repository made here, and the terminal where the harness
// has shell integration. Then the bad inputs: each refused with a clear message and nothing sent; the rows
// go to docs/reliability.md (scripts/reliability-report.mjs).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  type AskResult, closeAllEditors, createRequests, newChat, openFixture, singleUserMessage, startAndUseFake, waitFor, workspaceRoot,
  writeReliability,
} from './helpers';

type Outcome = AskResult | { refused: string } | { added: string[] } | undefined;

const scratch = () => vscode.Uri.joinPath(workspaceRoot(), 'context-scratch');
const write = async (name: string, content: string | Uint8Array) => {
  const uri = vscode.Uri.joinPath(scratch(), name);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return uri;
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });

describe('context attachments', () => {
  let fake: FakeServer;
  const observed: { case: string; message: string; requests: number }[] = [];

  before(async () => {
    fake = await startAndUseFake();
    await vscode.workspace.fs.createDirectory(scratch());
  });
  after(async () => {
    writeReliability('context', observed);
    await closeAllEditors();
    await vscode.workspace.fs.delete(scratch(), { recursive: true, useTrash: false });
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);
  const sent = (): string => {
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 1, `expected one request, got ${reqs.length}: ${reqs.map((r) => JSON.stringify(r.body).slice(0, 400)).join('\n')}`);
    return singleUserMessage(reqs[0]!.body);
  };
  const completed = (r: Outcome) => {
    assert.ok(r && 'status' in r && r.status === 'completed', JSON.stringify(r));
  };
  /** A refusal: its message matches, and nothing reached the endpoint. */
  const refusedWith = (name: string, r: Outcome, pattern: RegExp) => {
    assert.ok(r && 'refused' in r, `expected a refusal, got ${JSON.stringify(r)}`);
    assert.match(r.refused, pattern);
    const requests = createRequests(fake).length;
    assert.strictEqual(requests, 0, 'a refused attachment sent a request');
    observed.push({ case: name, message: r.refused, requests });
  };

  it('Ask About Current File sends the whole document, unsaved edits included, under path:L1-Ln', async () => {
    const uri = await write('notes.ts', 'export const a = 1;\nexport const b = 2;\n');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// unsaved line\n'));
    completed(await run('threadline.askAboutFile', { question: 'Review this file.' }));
    const message = sent();
    assert.ok(message.startsWith('Review this file.'), message);
    assert.ok(message.includes('context-scratch/notes.ts:L1-L3 (whole file)\n```typescript\n// unsaved line\nexport const a = 1;\nexport const b = 2;\n```'), message);
  });

  it('attaches an untitled document', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'print("draft")\n' });
    await vscode.window.showTextDocument(doc);
    completed(await run('threadline.askAboutFile', { question: 'Is this fine?' }));
    assert.ok(sent().includes('```python\nprint("draft")\n```'));
  });

  it('a file over the limit is cut with a visible note, and still sent', async () => {
    const uri = await write('big.txt', `${'y'.repeat(99)}\n`.repeat(4000));
    await vscode.window.showTextDocument(uri);
    completed(await run('threadline.askAboutFile', { question: 'Summarise.' }));
    assert.match(sent(), /context-scratch\/big\.txt:L1-L\d+ \(whole file\)\n\(context-scratch\/big\.txt was cut after line \d+: 256 KB of 391 KB attached/);
  });

  it('Ask About Problems sends a real diagnostic with severity, source, code, range and its code line', async () => {
    const editor = await openFixture('src/math.ts');
    const diagnostics = vscode.languages.createDiagnosticCollection('context-test');
    try {
      const d = new vscode.Diagnostic(new vscode.Range(6, 2, 6, 4), 'Prefer Math.max here.', vscode.DiagnosticSeverity.Warning);
      d.source = 'lint';
      d.code = 'prefer-max';
      diagnostics.set(editor.document.uri, [d]);
      completed(await run('threadline.askAboutProblems', { question: 'Fix these.' }));
      const message = sent();
      assert.ok(message.includes(`Problems in src/math.ts:L1-L${editor.document.lineCount} (1 problem)`), message);
      assert.ok(message.includes('- warning (lint prefer-max) at L7:C3-L7:C5: Prefer Math.max here.'), message);
      assert.ok(message.includes(`7| ${editor.document.lineAt(6).text}`), message);
    } finally {
      diagnostics.dispose();
    }
  });

  it('the quick fix "Ask Threadline About This Problem" sends the problem and its code as the next turn', async () => {
    const editor = await openFixture('src/math.ts');
    const diagnostics = vscode.languages.createDiagnosticCollection('context-quickfix');
    try {
      const range = new vscode.Range(7, 4, 7, 10);
      diagnostics.set(editor.document.uri, [new vscode.Diagnostic(range, 'Unreachable?', vscode.DiagnosticSeverity.Error)]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range);
      const ours = actions.find((a) => a.title === 'Ask Threadline About This Problem');
      assert.ok(ours?.command, `no quick fix among ${actions.map((a) => a.title).join(', ')}`);
      assert.strictEqual(ours.kind?.value, vscode.CodeActionKind.QuickFix.value);
      completed(await run(ours.command.command, ...(ours.command.arguments ?? [])));
      const message = sent();
      assert.ok(message.startsWith('Explain this problem and how to fix it.'), message);
      assert.ok(message.includes('Problems in src/math.ts:L8-L8 (1 problem)\n- error at L8:C5-L8:C11: Unreachable?'), message);
      assert.ok(message.includes(`8| ${editor.document.lineAt(7).text}`), message);
    } finally {
      diagnostics.dispose();
    }
  });

  it('a document without problems is refused, nothing sent', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'all good\n' });
    await vscode.window.showTextDocument(doc);
    refusedWith('Ask About Problems: no problems', await run('threadline.askAboutProblems', { question: 'Fix these.' }), /has no problems/);
  });

  it('Ask About Uncommitted Changes sends the staged and unstaged diff of a real repository as a diff block', async () => {
    const repo = vscode.Uri.joinPath(scratch(), 'repo');
    await vscode.workspace.fs.createDirectory(repo);
    git(repo.fsPath, 'init', '-q');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(repo, 'a.txt'), new TextEncoder().encode('one\ntwo\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(repo, 'b.txt'), new TextEncoder().encode('bee\n'));
    git(repo.fsPath, 'add', '.');
    git(repo.fsPath, 'commit', '-q', '-m', 'base');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(repo, 'a.txt'), new TextEncoder().encode('one\nTWO\n')); // unstaged
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(repo, 'b.txt'), new TextEncoder().encode('bee\nsting\n'));
    git(repo.fsPath, 'add', 'b.txt'); // staged
    await vscode.window.showTextDocument(vscode.Uri.joinPath(repo, 'a.txt'));
    completed(await run('threadline.askAboutChanges', { question: 'Review my changes.' }));
    const message = sent();
    assert.match(message, /Uncommitted changes in context-scratch\/repo \(2 files\), staged and unstaged\n```diff\n/);
    assert.ok(message.includes('+++ b/b.txt\n@@ -1 +1,2 @@\n bee\n+sting\n'), message);
    assert.ok(message.includes('+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n'), message);
    assert.ok(message.indexOf('b/b.txt') < message.indexOf('b/a.txt'), 'staged first');
  });

  it('the terminal: its last command and output with shell integration, or it says why not', async function () {
    const terminal = vscode.window.createTerminal({ name: 'context-test', cwd: scratch() });
    terminal.show();
    try {
      const integrated = await waitFor('shell integration', () => terminal.shellIntegration !== undefined, 8000).then(() => true, () => false);
      if (integrated) {
        const ended = new Promise<void>((resolve) => {
          const sub = vscode.window.onDidEndTerminalShellExecution((e) => e.terminal === terminal && (sub.dispose(), resolve()));
        });
        const raw: string[] = [];
        const sub = vscode.window.onDidStartTerminalShellExecution(async (e) => {
          for await (const d of e.execution.read()) raw.push(d);
        });
        terminal.shellIntegration!.executeCommand('echo threadline-$((40+2))');
        await ended;
        sub.dispose();
        completed(await run('threadline.askAboutTerminalSelection', { question: 'What happened?' }));
        const message = sent();
        assert.ok(message.includes('Terminal context-test: last command\n$ echo threadline-$((40+2))'), message);
        // code-server's terminal here streams no output to execution.read() (this test's own reader gets
        // nothing either); where it does, the output must be in the request too.
        if (raw.join('').includes('threadline-42')) assert.ok(message.includes('threadline-42'), message);
      } else {
        refusedWith('Terminal without shell integration', await run('threadline.askAboutTerminalSelection', { question: 'What happened?' }), /no shell integration/);
      }
    } finally {
      terminal.dispose();
    }
  });

  it('refuses a binary file, a huge file, a file outside the workspace and a deleted file, each clearly, attaching nothing', async () => {
    const binary = await write('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    refusedWith('Add Context: a binary file', await run('threadline.addContext', { files: [binary] }), /image\.png is a binary file; Threadline attaches text files only/);

    const huge = await write('huge.log', new Uint8Array(17 * 1024 * 1024).fill(0x61));
    refusedWith('Add Context: a file over 16 MB', await run('threadline.addContext', { files: [huge] }), /huge\.log is 17\.0 MB; Threadline attaches files up to 16\.0 MB/);

    const outside = vscode.Uri.file(path.join(os.tmpdir(), 'threadline-outside.txt'));
    await vscode.workspace.fs.writeFile(outside, new TextEncoder().encode('secret\n'));
    try {
      refusedWith('Add Context: a file outside the workspace', await run('threadline.addContext', { files: [outside] }), /is outside the workspace, so it was not attached/);
    } finally {
      await vscode.workspace.fs.delete(outside);
    }

    const gone = await write('gone.ts', 'export {};\n');
    await vscode.workspace.fs.delete(gone);
    refusedWith('Add Context: a deleted file', await run('threadline.addContext', { files: [gone] }), /gone\.ts no longer exists/);

    // All or nothing: one bad file among good ones attaches none of them.
    const good = await write('good.ts', 'export const ok = 1;\n');
    refusedWith('Add Context: a good file with a binary one', await run('threadline.addContext', { files: [good, binary] }), /binary/);
    const added = await run('threadline.addContext', { files: [good] });
    assert.deepStrictEqual(added, { added: ['context-scratch/good.ts:L1-L1'] });
  });
});
