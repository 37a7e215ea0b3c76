// Where an answer's code goes in its file, and the single edit Accept applies.
import assert from 'node:assert/strict';
import { minimalEdit, proposeText, type Proposal, type ProposalTarget } from '../../src/core/proposal';

const FILE = 'function fizz(n) {\n  if (n % 3 === 0) {\n    return "fizz";\n  }\n  return String(n);\n}\n';
const IF_BLOCK = '  if (n % 3 === 0) {\n    return "fizz";\n  }';

function proposed(current: string, target: ProposalTarget, code: string): Proposal {
  const r = proposeText(current, target, code, 'src/fizz.ts');
  assert.equal(r.kind, 'proposal', r.kind === 'refused' ? r.message : '');
  return r as Proposal;
}

function refusal(current: string, target: ProposalTarget, code: string): string {
  const r = proposeText(current, target, code, 'src/fizz.ts');
  assert.equal(r.kind, 'refused');
  return (r as { message: string }).message;
}

describe('proposals', () => {
  it('replaces an attached selection where it was attached, keeping the lines around it', () => {
    const code = '  if (n % 3 === 0) return "fizz";';
    const r = proposed(FILE, { kind: 'selection', startLine: 2, endLine: 4, attachedText: IF_BLOCK }, code);
    assert.equal(r.proposedText, 'function fizz(n) {\n  if (n % 3 === 0) return "fizz";\n  return String(n);\n}\n');
    assert.equal(r.changedSinceAttached, false);
  });

  it('replaces part of a line', () => {
    const r = proposed(FILE, { kind: 'selection', startLine: 5, endLine: 5, attachedText: 'String(n)' }, '`${n}`');
    assert.equal(r.proposedText, FILE.replace('String(n)', '`${n}`'));
  });

  it('keeps the line break a selection ended with (one that ends at column 0 of the next line)', () => {
    const r = proposed(FILE, { kind: 'selection', startLine: 2, endLine: 4, attachedText: `${IF_BLOCK}\n` }, '  // gone');
    assert.equal(r.proposedText, 'function fizz(n) {\n  // gone\n  return String(n);\n}\n');
  });

  it('replaces whole lines when the attached text is not known, and drops one trailing line break from the code', () => {
    const r = proposed(FILE, { kind: 'selection', startLine: 5, endLine: 5 }, '  return `${n}`;\n');
    assert.equal(r.proposedText, FILE.replace('  return String(n);', '  return `${n}`;'));
  });

  it('writes the code in the document\'s line endings', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const r = proposed(crlf, { kind: 'selection', startLine: 2, endLine: 4, attachedText: IF_BLOCK.replace(/\n/g, '\r\n') }, 'a\nb');
    assert.equal(r.proposedText, 'function fizz(n) {\r\na\r\nb\r\n  return String(n);\r\n}\r\n');
    const whole = proposed(crlf, { kind: 'selection', startLine: 5, endLine: 5 }, 'x');
    assert.equal(whole.proposedText, crlf.replace('  return String(n);', 'x'));
  });

  it('refuses a selection that moved or changed, naming it, instead of guessing a range', () => {
    const moved = `// a new first line\n${FILE}`;
    assert.match(refusal(moved, { kind: 'selection', startLine: 2, endLine: 4, attachedText: IF_BLOCK }, 'x'),
      /src\/fizz\.ts:L2-L4 changed or moved since it was attached; .*not apply/);
    const edited = FILE.replace('"fizz"', '"Fizz"');
    assert.match(refusal(edited, { kind: 'selection', startLine: 2, endLine: 4, attachedText: IF_BLOCK }, 'x'), /changed or moved/);
  });

  it('refuses a selection whose text appears twice on its lines', () => {
    assert.match(refusal('n + n\n', { kind: 'selection', startLine: 1, endLine: 1, attachedText: 'n' }, 'm'), /more than once/);
  });

  it('refuses lines past the end of the file', () => {
    assert.match(refusal('one line\n', { kind: 'selection', startLine: 3, endLine: 9 }, 'x'), /has 2 line\(s\) now.*L3-L9/);
  });

  it('replaces a whole file, keeping its final line break, and says when it changed since attached', () => {
    const same = proposed(FILE, { kind: 'file', attachedText: FILE }, 'export {}');
    assert.equal(same.proposedText, 'export {}\n');
    assert.equal(same.changedSinceAttached, false);
    const changed = proposed(FILE, { kind: 'file', attachedText: 'an older text\n' }, 'export {}');
    assert.equal(changed.proposedText, 'export {}\n');
    assert.equal(changed.changedSinceAttached, true);
    assert.equal(proposed('no final break', { kind: 'file' }, 'x\n').proposedText, 'x');
  });

  it('finds the single smallest edit between two texts', () => {
    assert.deepEqual(minimalEdit('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
    assert.deepEqual(minimalEdit('same', 'same'), { start: 4, end: 4, text: '' });
    assert.deepEqual(minimalEdit('aaa', 'aaaa'), { start: 3, end: 3, text: 'a' });
    assert.deepEqual(minimalEdit('', 'new'), { start: 0, end: 0, text: 'new' });
    for (const [from, to] of [[FILE, 'x'], ['a\r\nb', 'a\r\nc\r\nb'], ['a\r\n', 'a\r\n\r\n'], ['x\r\ny', 'x\r\n']]) {
      const e = minimalEdit(from, to);
      assert.equal(from.slice(0, e.start) + e.text + from.slice(e.end), to, JSON.stringify([from, to]));
    }
  });

  it('never splits a \\r\\n pair', () => {
    const e = minimalEdit('a\r\nb', 'a\rb');
    assert.notEqual(('a\r\nb')[e.start - 1], '\r');
  });
});
