// Selections become attachments: `path:Lstart-Lend` above a fenced block holding the code exactly as
// selected, in the same user message as the question.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  type AskResult, askOk, closeAllEditors, createRequests, fencedBlockUnder, newChat, openFixture,
  singleUserMessage, startAndUseFake,
} from './helpers';

const sel = (l1: number, c1: number, l2: number, c2: number) => new vscode.Selection(l1, c1, l2, c2);

describe('selection attachments', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startAndUseFake();
  });
  after(async () => {
    await closeAllEditors();
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  /** The user message of the only request made since the last reset. */
  const sentMessage = (): string => {
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 1, `expected one request, got ${reqs.length}`);
    return singleUserMessage(reqs[0].body);
  };

  it('sends the question alone when no editor is open', async () => {
    await closeAllEditors();
    await askOk('What is a closure?');
    assert.strictEqual(sentMessage(), 'What is a closure?');
  });

  it('sends the question alone when the editor has only an empty selection', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selections = [sel(2, 4, 2, 4)];
    await askOk('Anything to improve here?');
    assert.strictEqual(sentMessage(), 'Anything to improve here?');
  });

  it('attaches a selection exactly as selected, indentation kept, under path:Lstart-Lend', async () => {
    const editor = await openFixture('src/math.ts');
    const selection = sel(6, 0, 8, 3); // the whole `if` block of clamp(), lines 7-9
    editor.selections = [selection];
    const expected = editor.document.getText(selection);
    assert.strictEqual(expected, '  if (value < min) {\n    return min;\n  }', 'fixture src/math.ts changed');
    await askOk('Why the early return?');
    const message = sentMessage();
    assert.ok(message.startsWith('Why the early return?'), `the question does not lead the message:\n${message}`);
    assert.strictEqual(fencedBlockUnder(message, 'src/math.ts:L7-L9'), expected);
  });

  it('attaches part of a line', async () => {
    const editor = await openFixture('src/math.ts');
    const line = editor.document.lineAt(9).text; // `  return value > max ? max : value;`
    const from = line.indexOf('value > max');
    editor.selections = [sel(9, from, 9, from + 'value > max'.length)];
    await askOk('Is this comparison inclusive?');
    assert.strictEqual(fencedBlockUnder(sentMessage(), 'src/math.ts:L10-L10'), 'value > max');
  });

  it('leaves out the last line of a selection that ends at column 0', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selections = [sel(6, 0, 9, 0)]; // lines 7-9, and the cursor at the start of line 10
    await askOk('Explain this block.');
    const message = sentMessage();
    assert.strictEqual(fencedBlockUnder(message, 'src/math.ts:L7-L9'), '  if (value < min) {\n    return min;\n  }');
    assert.ok(!message.includes('return value > max'), `line 10 was sent:\n${message}`);
    assert.ok(!message.includes('L7-L10'), `the header counts line 10:\n${message}`);
  });

  it('attaches several selections as several attachments, top to bottom, skipping empty ones', async () => {
    const editor = await openFixture('src/math.ts');
    const body = sel(9, 2, 9, 35); // `return value > max ? max : value;`
    const add = sel(1, 0, 3, 1); // the whole add() function
    editor.selections = [body, sel(12, 3, 12, 3), add];
    await askOk('Compare these.');
    const message = sentMessage();
    assert.strictEqual(fencedBlockUnder(message, 'src/math.ts:L2-L4'), editor.document.getText(add));
    assert.strictEqual(fencedBlockUnder(message, 'src/math.ts:L10-L10'), editor.document.getText(body));
    assert.ok(message.indexOf('src/math.ts:L2-L4') < message.indexOf('src/math.ts:L10-L10'), 'attachments are not in file order');
    assert.strictEqual(message.match(/^src\/math\.ts:L\d+-L\d+$/gm)?.length, 2, `expected exactly two attachments:\n${message}`);
  });

  it('askAboutSelection (the editor context menu) sends the selection of the document it is given', async () => {
    const editor = await openFixture('src/strings.py');
    editor.selections = [sel(1, 0, 3, 0)]; // shout(), lines 2-3
    // From the menu the command gets the document URI; the second argument stands in for the input box.
    const r = await vscode.commands.executeCommand<AskResult>('threadline.askAboutSelection', editor.document.uri,
      { question: 'Does this handle None?' });
    assert.strictEqual(r?.status, 'completed', JSON.stringify(r));
    const message = sentMessage();
    assert.ok(message.startsWith('Does this handle None?'), message);
    assert.strictEqual(fencedBlockUnder(message, 'src/strings.py:L2-L3'),
      'def shout(text):\n    return text.upper() + "!"');
  });

  it('askAboutSelection sends nothing when nothing is selected', async () => {
    const editor = await openFixture('src/strings.py');
    editor.selections = [sel(1, 0, 1, 0)];
    const r = await vscode.commands.executeCommand('threadline.askAboutSelection', editor.document.uri,
      { question: 'Nothing selected?' });
    assert.strictEqual(r, undefined);
    assert.strictEqual(createRequests(fake).length, 0);
  });
});
