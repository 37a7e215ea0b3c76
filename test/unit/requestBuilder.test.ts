// Turn input, attachment rendering and transcript replay, validated against the official schema.
import assert from 'node:assert/strict';
import { renderAttachment } from '../../src/core/attachments';
import { renderUserMessage, replayInput, turnInput } from '../../src/core/requestBuilder';
import type { SelectionAttachment, Turn } from '../../src/core/types';
import { assertSchema } from '../support/schema';

const sel = (o: Partial<SelectionAttachment> = {}): SelectionAttachment => ({
  kind: 'selection', path: 'src/math.ts', uri: 'file:///w/src/math.ts', startLine: 12, endLine: 14, languageId: 'typescript',
  code: '  if (x) {\n    return y;\n  }', ...o,
});

describe('requestBuilder', () => {
  it('renders a selection as path:Lstart-Lend above a fenced block tagged with the language, indentation kept', () => {
    assert.equal(renderAttachment(sel()), 'src/math.ts:L12-L14\n```typescript\n  if (x) {\n    return y;\n  }\n```');
  });

  it('uses a longer fence when the code itself contains backticks', () => {
    const out = renderAttachment(sel({ code: 'const s = ```md```;', languageId: 'javascript' }));
    assert.ok(out.includes('\n````javascript\n'));
    assert.ok(out.endsWith('\n````'));
  });

  it('leaves plaintext untagged', () => {
    assert.ok(renderAttachment(sel({ languageId: 'plaintext' })).includes('\n```\n'));
  });

  it('puts the question and every attachment in one user message', () => {
    const msg = renderUserMessage('Why?', [sel(), sel({ path: 'b.py', languageId: 'python', code: 'x = 1\n', startLine: 1, endLine: 1 })]);
    assert.equal(msg, `Why?\n\n${renderAttachment(sel())}\n\nb.py:L1-L1\n\`\`\`python\nx = 1\n\`\`\``);
    const input = turnInput({ question: 'Why?', attachments: [sel()] });
    assert.equal(input.length, 1);
    assertSchema('CreateResponse', { model: 'm', input });
  });

  it('replays completed history as plain user/assistant messages, valid against CreateResponse', () => {
    const ctx: Turn[] = [
      { id: '1', parentId: null, createdAt: 0, question: 'q1', attachments: [sel()], answer: 'a1', status: 'completed' },
      { id: '2', parentId: '1', createdAt: 0, question: 'q2', attachments: [], answer: 'a2', status: 'completed' },
    ];
    const input = replayInput(ctx, { question: 'q3', attachments: [] });
    assert.deepEqual(input.map((m) => [m.role, m.content.split('\n')[0]]), [
      ['user', 'q1'], ['assistant', 'a1'], ['user', 'q2'], ['assistant', 'a2'], ['user', 'q3'],
    ]);
    assertSchema('CreateResponse', { model: 'm', input, store: false });
  });
});
