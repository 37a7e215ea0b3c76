// Apply, with a review: threadline.applyCode opens a diff of the file's current text against the
// proposed text; Accept applies one edit (one undo step, unsaved), Discard changes nothing. Code with no
// target replaces the selection or goes in at the cursor. Bad input is refused with a reason.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, workspaceRoot, writeReliability } from './helpers';

type Outcome =
  | { outcome: 'review'; proposedUri: string; title: string; changedSinceAttached: boolean }
  | { outcome: 'replaced' | 'inserted'; uri: string }
  | { outcome: 'unchanged' | 'refused'; message: string };

const FIZZ = [
  'export function fizzbuzz(n: number): string {',
  '  if (n % 15 === 0) return "FizzBuzz";',
  '  if (n % 3 === 0) {',
  '    return "Fizz";',
  '  }',
  '  return String(n);',
  '}',
  '',
].join('\n');
const FIZZ_BLOCK = '  if (n % 3 === 0) {\n    return "Fizz";\n  }';
const FIZZ_NEW = '  if (n % 3 === 0) return "Fizz";';
const FIZZ_AFTER = FIZZ.replace(FIZZ_BLOCK, FIZZ_NEW);

const scratch = () => vscode.Uri.joinPath(workspaceRoot(), 'apply-scratch');
const enc = new TextEncoder();
let n = 0;

/** A new file in the workspace, written on disk (never opened yet). */
async function newFile(text: string | Uint8Array, ext = 'ts'): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(scratch(), `file${++n}.${ext}`);
  await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? enc.encode(text) : text);
  return uri;
}

const onDisk = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const apply = (arg: unknown) => vscode.commands.executeCommand<Outcome>('threadline.applyCode', arg);

function proposalTabs(): Array<vscode.Tab & { input: vscode.TabInputTextDiff }> {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(
    (t): t is vscode.Tab & { input: vscode.TabInputTextDiff } =>
      t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'threadline-proposed');
}

/** Reverts and closes every editor, so no dirty document asks to be saved. */
async function revertAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await closeAllEditors();
}

/** What each refused case showed, for docs/reliability.md. */
const observed: Array<{ case: string; outcome: string; message: string; diffOpened: boolean; fileChanged: boolean }> = [];

function record(what: string, r: Outcome, fileChanged: boolean): void {
  observed.push({ case: what, outcome: r.outcome, message: 'message' in r ? r.message : '', diffOpened: proposalTabs().length > 0, fileChanged });
}

function selectionTarget(uri: vscode.Uri, startLine: number, endLine: number, attachedText?: string) {
  return { uri: uri.toString(), kind: 'selection', startLine, endLine, attachedText };
}

describe('apply with a review', () => {
  const files = () => vscode.workspace.getConfiguration('files');
  let autoSave: unknown;
  before(async () => {
    // VS Code in the browser saves after a delay by default; Threadline itself must never save.
    autoSave = files().inspect('autoSave')?.globalValue;
    await files().update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    writeReliability('apply', observed);
    await files().update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    await revertAll();
    await vscode.workspace.fs.delete(scratch(), { recursive: true, useTrash: false });
  });
  afterEach(revertAll);

  it('opens a diff of the attached selection, and Accept applies one unsaved edit that one undo reverts', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    const r = await apply({ code: FIZZ_NEW, turnLabel: 'turn 2', target: selectionTarget(uri, 3, 5, FIZZ_BLOCK) });
    assert.strictEqual(r.outcome, 'review', JSON.stringify(r));
    const name = path.posix.basename(uri.path);
    assert.strictEqual(r.outcome === 'review' && r.title, `${name} ↔ Threadline proposal (turn 2)`);

    await waitFor('the diff tab', () => proposalTabs().length === 1);
    const tab = proposalTabs()[0];
    assert.strictEqual(tab.label, `${name} ↔ Threadline proposal (turn 2)`);
    assert.strictEqual(tab.input.original.toString(), uri.toString(), 'the left side is not the file');
    assert.ok(tab.isActive, 'the diff is not the active tab');
    assert.strictEqual((await vscode.workspace.openTextDocument(tab.input.modified)).getText(), FIZZ_AFTER);
    assert.strictEqual(doc.getText(), FIZZ, 'the file changed before Accept');

    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange'), true);
    assert.strictEqual(doc.getText(), FIZZ_AFTER);
    assert.strictEqual(doc.isDirty, true, 'Accept left the document saved');
    assert.strictEqual(await onDisk(uri), FIZZ, 'Accept wrote to disk');
    assert.strictEqual(proposalTabs().length, 0, 'the diff is still open after Accept');
    assert.strictEqual(vscode.window.activeTextEditor?.document, doc, 'Accept does not show the changed file');

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), FIZZ, 'one undo does not restore the original text');
  });

  it('Discard closes the diff and changes nothing', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    const r = await apply({ code: FIZZ_NEW, target: selectionTarget(uri, 3, 5, FIZZ_BLOCK) });
    assert.strictEqual(r.outcome, 'review', JSON.stringify(r));
    await waitFor('the diff tab', () => proposalTabs().length === 1);
    const proposed = proposalTabs()[0].input.modified;

    assert.strictEqual(await vscode.commands.executeCommand('threadline.discardChange', proposed), true);
    assert.strictEqual(proposalTabs().length, 0, 'the diff is still open after Discard');
    assert.strictEqual(doc.getText(), FIZZ);
    assert.strictEqual(doc.isDirty, false);
    assert.strictEqual(await onDisk(uri), FIZZ);
    // The proposal is gone: Accept has nothing left to apply.
    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange', proposed), false);
    assert.strictEqual(doc.getText(), FIZZ);
  });

  it('closing the diff by hand discards the proposal', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    await apply({ code: FIZZ_NEW, target: selectionTarget(uri, 3, 5, FIZZ_BLOCK) });
    await waitFor('the diff tab', () => proposalTabs().length === 1);
    const proposed = proposalTabs()[0].input.modified;
    await vscode.window.tabGroups.close(proposalTabs());
    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange', proposed), false);
    assert.strictEqual(doc.getText(), FIZZ);
  });

  it('replaces a whole file, against its current text, and says when it changed since attached', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    const r = await apply({ code: 'export const answer = 42;', target: { uri: uri.toString(), kind: 'file', attachedText: 'export const answer = 41;\n' } });
    assert.strictEqual(r.outcome, 'review', JSON.stringify(r));
    assert.ok(r.outcome === 'review' && r.changedSinceAttached);
    assert.match(r.outcome === 'review' ? r.title : '', /Threadline proposal · file changed since attached$/);
    await waitFor('the diff tab', () => proposalTabs().length === 1);
    assert.strictEqual(proposalTabs()[0].input.original.toString(), uri.toString(), 'the diff is not against the current file');
    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange'), true);
    assert.strictEqual(doc.getText(), 'export const answer = 42;\n');
    assert.strictEqual(await onDisk(uri), FIZZ);
  });

  it('refuses a selection that moved since it was attached, and opens no diff', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '// a line the user added\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const before = doc.getText();
    const r = await apply({ code: FIZZ_NEW, target: selectionTarget(uri, 3, 5, FIZZ_BLOCK) });
    assert.strictEqual(r.outcome, 'refused', JSON.stringify(r));
    assert.match(r.outcome === 'refused' ? r.message : '', /L3-L5 changed or moved since it was attached/);
    assert.strictEqual(proposalTabs().length, 0);
    assert.strictEqual(doc.getText(), before);
    record('A selection that moved since it was attached', r, doc.getText() !== before);
  });

  it('refuses to accept when the file changed during the review, keeping the user\'s edit', async () => {
    const uri = await newFile(FIZZ);
    const doc = await vscode.workspace.openTextDocument(uri);
    await apply({ code: FIZZ_NEW, target: selectionTarget(uri, 3, 5, FIZZ_BLOCK) });
    await waitFor('the diff tab', () => proposalTabs().length === 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(7, 0), '// typed during the review\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typed = doc.getText();
    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange'), false);
    assert.strictEqual(doc.getText(), typed);
    assert.strictEqual(proposalTabs().length, 1, 'the review closed although nothing was applied');
    assert.strictEqual(await vscode.commands.executeCommand('threadline.discardChange'), true);
  });

  it('works on an untitled document', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'let a = 1;\nlet b = 2;\n', language: 'typescript' });
    const r = await apply({ code: 'const b = 2;', target: selectionTarget(doc.uri, 2, 2, 'let b = 2;') });
    assert.strictEqual(r.outcome, 'review', JSON.stringify(r));
    assert.strictEqual(await vscode.commands.executeCommand('threadline.acceptChange'), true);
    assert.strictEqual(doc.getText(), 'let a = 1;\nconst b = 2;\n');
  });

  it('with no target, replaces the selection', async () => {
    const uri = await newFile(FIZZ);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selections = [new vscode.Selection(5, 9, 5, 18)]; // String(n)
    const r = await apply({ code: '`${n}`' });
    assert.deepStrictEqual(r, { outcome: 'replaced', uri: uri.toString() });
    assert.strictEqual(editor.document.getText(), FIZZ.replace('String(n)', '`${n}`'));
    assert.strictEqual(await onDisk(uri), FIZZ);
    assert.strictEqual(proposalTabs().length, 0);
  });

  it('with no target and no selection, inserts at the cursor', async () => {
    const uri = await newFile(FIZZ);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selections = [new vscode.Selection(7, 0, 7, 0)];
    const r = await apply({ code: 'export const n = 1;\n' });
    assert.deepStrictEqual(r, { outcome: 'inserted', uri: uri.toString() });
    assert.strictEqual(editor.document.getText(), `${FIZZ}export const n = 1;\n`);
  });

  it('with no target and no editor, changes nothing and says what to do', async () => {
    await closeAllEditors();
    const r = await apply({ code: 'x' });
    assert.strictEqual(r.outcome, 'refused');
    assert.match(r.outcome === 'refused' ? r.message : '', /open an editor/);
  });

  describe('bad input', () => {
    const refused = async (what: string, arg: unknown, reason: RegExp) => {
      const r = await apply(arg);
      assert.strictEqual(r.outcome, 'refused', JSON.stringify(r));
      assert.match(r.outcome === 'refused' ? r.message : '', reason);
      assert.strictEqual(proposalTabs().length, 0, 'a refused apply opened a diff');
      const edited = vscode.workspace.textDocuments.some((d) => d.isDirty);
      assert.ok(!edited, 'a refused apply edited a document');
      record(what, r, edited);
    };

    it('refuses a malformed argument with the field it is about', async () => {
      await refused('No argument', undefined, /expected \{ code, target\? \}/);
      await refused('Code that is not a string', { code: 42 }, /`code` must be a string/);
      await refused('An unknown target kind', { code: 'x', target: { uri: 'file:///a.ts', kind: 'folder' } }, /"selection" or "file"/);
      await refused('Lines in the wrong order', { code: 'x', target: { uri: 'file:///a.ts', kind: 'selection', startLine: 4, endLine: 2 } }, /after/);
      await refused('A URI that does not parse', { code: 'x', target: { uri: '::not a uri', kind: 'file' } }, /not a valid URI|outside the workspace/);
    });

    it('refuses a file outside the workspace and leaves it alone', async () => {
      const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-apply-')), 'outside.ts');
      fs.writeFileSync(outside, 'export {};\n');
      await refused('A file outside the workspace', { code: 'x', target: { uri: vscode.Uri.file(outside).toString(), kind: 'file' } }, /outside\.ts is outside the workspace/);
      assert.strictEqual(fs.readFileSync(outside, 'utf8'), 'export {};\n');
      fs.rmSync(path.dirname(outside), { recursive: true, force: true });
    });

    it('refuses a deleted file', async () => {
      const uri = await newFile('gone soon\n');
      await vscode.workspace.fs.delete(uri);
      await refused('A deleted file', { code: 'x', target: { uri: uri.toString(), kind: 'file' } }, /no longer exists/);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri)), 'the refused apply created the file');
    });

    it('refuses a binary file', async () => {
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
      const uri = await newFile(bytes, 'png');
      await refused('A binary file', { code: 'x', target: { uri: uri.toString(), kind: 'file' } }, /binary file/);
      assert.deepStrictEqual([...await vscode.workspace.fs.readFile(uri)], [...bytes]);
    });

    it('refuses an untitled document that is not open', async () => {
      await refused('An untitled document that is not open', { code: 'x', target: { uri: 'untitled:Untitled-4242', kind: 'file' } }, /no longer open/);
    });
  });
});
