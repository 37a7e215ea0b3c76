// Attachment kinds: the label, the prompt text, the limits, "open", the chip, and the attachments the
// host keeps for the composer's chips.
import assert from 'node:assert/strict';
import { safeParse } from 'valibot';
import { changesAttachment, fileAttachment, looksBinary, plainTerminalText, problemsAttachment, terminalAttachment } from '../../src/core/attachmentBuilders';
import {
  applyTargetOf, attachmentChip, attachmentLabel, checkAttachments, MAX_CHANGES_BYTES, MAX_FILE_BYTES, MAX_SELECTION_BYTES, MAX_TERMINAL_BYTES, openTarget,
  PendingAttachments, renderAttachment, type SelectionAttachment,
} from '../../src/core/attachments';
import { attachmentSchema } from '../../src/core/schemas';

const sel = (o: Partial<SelectionAttachment> = {}): SelectionAttachment => ({
  kind: 'selection', path: 'src/math.ts', uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14, languageId: 'typescript',
  code: '  if (x) {\n    return y;\n  }', ...o,
});

describe('attachments: the selection kind', () => {
  it('is labelled path:Lx-Ly, in chips and in the prompt alike', () => {
    assert.equal(attachmentLabel(sel()), 'src/math.ts:L12-L14');
    assert.ok(renderAttachment(sel()).startsWith('src/math.ts:L12-L14\n```typescript\n'));
  });

  it('opens its document at its lines, and its chip carries no code', () => {
    assert.deepEqual(openTarget(sel()), { uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14 });
    const chip = attachmentChip(sel({ code: 'SECRET_CODE' }));
    assert.deepEqual(chip, { kind: 'selection', label: 'src/math.ts:L12-L14', open: { uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14 } });
    assert.ok(!JSON.stringify(chip).includes('SECRET_CODE'));
  });

  it('refuses a selection over the limit (in bytes) and binary content, with the label in the message', () => {
    assert.equal(checkAttachments([sel()]), undefined);
    assert.match(checkAttachments([sel({ code: 'x'.repeat(600 * 1024) })])!.message, /selection src\/math\.ts:L12-L14 is 600 KB/);
    // Bytes, not characters: 200 K three-byte characters are 600 KB.
    assert.match(checkAttachments([sel({ code: '\u20ac'.repeat(200 * 1024) })])!.message, /is 600 KB; Threadline sends at most 512 KB/);
    assert.equal(checkAttachments([sel({ code: 'x'.repeat(MAX_SELECTION_BYTES) })]), undefined);
    assert.match(checkAttachments([sel({ code: 'PNG\u0000\u0001' })])!.message, /binary/);
    assert.match(checkAttachments([sel({ code: 'x'.repeat(400 * 1024) }), sel({ code: 'y'.repeat(400 * 1024) }), sel({ code: 'z'.repeat(400 * 1024) })])!.message, /add up/);
  });

  it('validates against its schema: lines in order, no unknown kind, no extra fields', () => {
    assert.equal(safeParse(attachmentSchema, sel()).success, true);
    for (const bad of [sel({ startLine: 0 }), sel({ startLine: 5, endLine: 4 }), sel({ startLine: 1.5 }), { ...sel(), kind: 'file' }, { ...sel(), evil: true }, null]) {
      assert.equal(safeParse(attachmentSchema, bad).success, false, JSON.stringify(bad));
    }
  });
});

describe('attachments: pending for the composer', () => {
  let n = 0;
  const ids = () => `id${++n}`;

  it('gives each attachment a chip with an id, and resolves the ids of a send in order', () => {
    const shelf = new PendingAttachments(ids);
    const [a, b] = shelf.add([sel(), sel({ path: 'b.ts', uri: 'file:///w/b.ts' })]);
    assert.equal(a!.label, 'src/math.ts:L12-L14');
    assert.deepEqual(shelf.resolve([b!.id, a!.id]), { attachments: [sel({ path: 'b.ts', uri: 'file:///w/b.ts' }), sel()] });
    assert.deepEqual(shelf.openTargets().map((t) => t.uri), ['file:///w/src/math.ts', 'file:///w/b.ts']);
  });

  it('says how many are gone (released, evicted, or never known), never returning part of a send', () => {
    const shelf = new PendingAttachments(ids, 2);
    const [a] = shelf.add([sel()]);
    const [b, c] = shelf.add([sel({ startLine: 1, endLine: 1 }), sel({ startLine: 2, endLine: 2 })]);
    assert.deepEqual(shelf.resolve([a!.id, b!.id]), { missing: 1 }, 'the oldest was evicted');
    shelf.release([b!.id]);
    assert.deepEqual(shelf.resolve([b!.id, c!.id, 'unknown']), { missing: 2 });
    assert.deepEqual(shelf.resolve([c!.id]), { attachments: [sel({ startLine: 2, endLine: 2 })] });
  });
});

describe('attachments: the file, problems, changes and terminal kinds', () => {
  const file = (text: string) => fileAttachment({ path: 'src/big.ts', uri: 'file:///w/src/big.ts', languageId: 'typescript', text });

  it('a file is labelled path:L1-Ln, rendered whole under its header, and opens at its lines', () => {
    const a = file('const a = 1;\nconst b = 2;\n');
    assert.equal(attachmentLabel(a), 'src/big.ts:L1-L2');
    assert.equal(renderAttachment(a), 'src/big.ts:L1-L2 (whole file)\n```typescript\nconst a = 1;\nconst b = 2;\n```');
    assert.deepEqual(openTarget(a), { uri: 'file:///w/src/big.ts', startLine: 1, endLine: 2 });
    assert.equal(a.cutFrom, undefined);
    assert.equal(checkAttachments([a]), undefined);
    assert.equal(safeParse(attachmentSchema, a).success, true);
  });

  it('a file over the limit is cut at a line boundary, with a visible note, and then fits', () => {
    const line = `${'x'.repeat(99)}\n`;
    const text = line.repeat(5000); // 500 KB
    const a = file(text);
    assert.equal(a.cutFrom, 500_000);
    assert.ok(a.code.length <= MAX_FILE_BYTES && a.code.endsWith('\n') && text.startsWith(a.code));
    assert.equal(a.lineCount, Math.floor(MAX_FILE_BYTES / 100));
    assert.match(renderAttachment(a), new RegExp(`was cut after line ${a.lineCount}: 256 KB of 489 KB attached`));
    assert.equal(checkAttachments([a]), undefined);
  });

  it('a file with NUL bytes is refused as binary; looksBinary reads the bytes before any decoding', () => {
    assert.match(checkAttachments([file('PNG\u0000')])!.message, /src\/big\.ts looks like a binary file/);
    assert.equal(looksBinary(new Uint8Array([0x89, 0x50, 0x00, 0x47])), true);
    assert.equal(looksBinary(new TextEncoder().encode('plain text\n')), false);
  });

  it('problems list severity, source, code and range, then the numbered lines they point at', () => {
    const src = ['import x from "y";', 'const a: number = "s";', 'let unused = 1;', 'export {};'];
    const a = problemsAttachment({
      path: 'src/a.ts', uri: 'file:///w/src/a.ts', languageId: 'typescript', startLine: 1, endLine: 4,
      lineText: (n) => src[n - 1],
      problems: [
        { severity: 'warning', message: "'unused' is declared but never read.", source: 'ts', code: '6133', startLine: 3, startColumn: 5, endLine: 3, endColumn: 11 },
        { severity: 'error', message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: '2322', startLine: 2, startColumn: 7, endLine: 2, endColumn: 8 },
      ],
    });
    assert.equal(attachmentLabel(a), 'Problems in src/a.ts:L1-L4');
    assert.equal(renderAttachment(a), [
      'Problems in src/a.ts:L1-L4 (2 problems)',
      "- error (ts 2322) at L2:C7-L2:C8: Type 'string' is not assignable to type 'number'.",
      "- warning (ts 6133) at L3:C5-L3:C11: 'unused' is declared but never read.",
      'The lines they point at (numbered):',
      '```typescript',
      '2| const a: number = "s";',
      '3| let unused = 1;',
      '```',
    ].join('\n'));
    assert.equal(safeParse(attachmentSchema, a).success, true);
  });

  it('problems of a selection keep only those in its range; none is a clear refusal; too many are counted', () => {
    const p = (line: number) => ({ severity: 'error' as const, message: `bad ${line}`, startLine: line, startColumn: 1, endLine: line, endColumn: 2 });
    const base = { path: 'a.ts', uri: 'file:///w/a.ts', languageId: 'typescript', lineText: (n: number) => `line ${n}` };
    const some = problemsAttachment({ ...base, startLine: 5, endLine: 6, problems: [p(1), p(5), p(6), p(9)] });
    assert.deepEqual(some.problems.map((x) => x.startLine), [5, 6]);
    const none = problemsAttachment({ ...base, startLine: 2, endLine: 3, problems: [p(1)] });
    assert.match(checkAttachments([none])!.message, /a\.ts has no problems to attach/);
    const many = problemsAttachment({ ...base, startLine: 1, endLine: 5000, problems: Array.from({ length: 3000 }, (_, i) => ({ ...p(i + 1), message: 'm'.repeat(100) })) });
    assert.ok(many.omitted! > 0 && many.problems.length + many.omitted! === 3000);
    assert.match(renderAttachment(many), new RegExp(`\\(${many.omitted} more problems were left out`));
    assert.equal(checkAttachments([many]), undefined);
  });

  it('changes render as one diff block; over the limit they are cut at a file boundary with a note; none is refused', () => {
    const d = (name: string, body: string) => ({ uri: `file:///w/${name}`, diff: `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n${body}` });
    const a = changesAttachment({ path: 'w', files: [d('a.ts', '-x\n+y\n'), d('b.ts', '-1\n+2\n')] });
    assert.equal(attachmentLabel(a), 'Uncommitted changes in w (2 files)');
    assert.ok(renderAttachment(a).startsWith('Uncommitted changes in w (2 files), staged and unstaged\n```diff\ndiff --git a/a.ts b/a.ts\n'));
    assert.deepEqual(openTarget(a), { uri: 'file:///w/a.ts', startLine: 1, endLine: 1 });
    const big = changesAttachment({ path: 'w', files: [d('a.ts', '+a\n'.repeat(50_000)), d('b.ts', '+b\n'.repeat(50_000))] });
    assert.ok(big.cutFrom! > MAX_CHANGES_BYTES && big.diff.includes('a/a.ts') && !big.diff.includes('a/b.ts'));
    assert.match(renderAttachment(big), /the diff was cut at a file boundary: \d+ KB of \d+ KB attached/);
    assert.equal(checkAttachments([big]), undefined);
    assert.match(checkAttachments([changesAttachment({ path: 'w', files: [] })])!.message, /w has no uncommitted changes/);
  });

  it('terminal output keeps its end when cut, has no chip target, and renders the command', () => {
    const a = terminalAttachment({ terminal: 'bash', source: 'lastCommand', command: 'npm test', output: 'ok 1\nnot ok 2\n' });
    assert.equal(attachmentLabel(a), 'Terminal bash: last command');
    assert.equal(renderAttachment(a), 'Terminal bash: last command\n$ npm test\n```\nok 1\nnot ok 2\n```');
    assert.equal(openTarget(a), undefined);
    assert.deepEqual(attachmentChip(a), { kind: 'terminal', label: 'Terminal bash: last command' });
    const long = terminalAttachment({ terminal: 'bash', source: 'selection', output: Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n') });
    assert.ok(long.output.endsWith('line 19999') && long.cutFrom! > MAX_TERMINAL_BYTES);
    assert.match(renderAttachment(long), /the start of the output was cut/);
    assert.equal(checkAttachments([long]), undefined);
  });

  it('terminal output loses its escape sequences and carriage returns', () => {
    assert.equal(plainTerminalText('\u001b]633;C\u0007\u001b[32mok\u001b[0m 1\r\nnext\r\n'), 'ok 1\nnext\n');
  });

  it('the per-turn total counts every kind together, and its refusal says what to do', () => {
    const f = file('a'.repeat(250 * 1024));
    const s = sel({ code: 'b'.repeat(500 * 1024) });
    const t = terminalAttachment({ terminal: 't', source: 'selection', output: 'c'.repeat(60 * 1024) });
    assert.equal(checkAttachments([f, s, t]), undefined);
    assert.match(checkAttachments([f, s, t, file('d'.repeat(250 * 1024))])!.message, /add up to 1\.\d MB; Threadline sends at most 1\.0 MB per turn\. Remove an attachment/);
  });
});

describe('attachments: where Apply puts an answer\'s code', () => {
  it('targets the first selection or file of the turn, with the attached text to compare against', () => {
    const t = terminalAttachment({ terminal: 'bash', source: 'selection', output: 'x' });
    assert.deepEqual(applyTargetOf([t, sel()]), { uri: 'file:///w/src/math.ts', kind: 'selection', startLine: 12, endLine: 14, attachedText: sel().code });
    const f = fileAttachment({ path: 'a.ts', uri: 'file:///w/a.ts', languageId: 'typescript', text: 'const a = 1;\n' });
    assert.deepEqual(applyTargetOf([f, sel()]), { uri: 'file:///w/a.ts', kind: 'file', attachedText: 'const a = 1;\n' });
  });

  it('a cut file is a target without attached text; other kinds, or none, give no target', () => {
    const cut = fileAttachment({ path: 'a.ts', uri: 'file:///w/a.ts', languageId: 'typescript', text: 'x\n'.repeat(200_000) });
    assert.deepEqual(applyTargetOf([cut]), { uri: 'file:///w/a.ts', kind: 'file' });
    assert.equal(applyTargetOf([changesAttachment({ path: 'w', files: [{ uri: 'file:///w/a.ts', diff: 'diff --git a/a.ts b/a.ts\n' }] })]), undefined);
    assert.equal(applyTargetOf([]), undefined);
  });
});
