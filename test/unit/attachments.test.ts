// Attachment kinds: the label, the prompt text, the limits, "open", the chip, and the attachments the
// host keeps for the composer's chips.
import assert from 'node:assert/strict';
import { safeParse } from 'valibot';
import {
  attachmentChip, attachmentLabel, checkAttachments, MAX_SELECTION_BYTES, openTarget, PendingAttachments, renderAttachment,
  type SelectionAttachment,
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
