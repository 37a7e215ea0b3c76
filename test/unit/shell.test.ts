// The activation shell's own modules: the command list against package.json, the terminal output bound
// against the attachment limit, and the API facade that loads the host on its first call.
import assert from 'node:assert/strict';
import pkg from '../../package.json';
import { MAX_TERMINAL_BYTES } from '../../src/core/attachments';
import type { ThreadlineApi } from '../../src/host/api';
import { CHAT_VIEW_ID, COMMAND_IDS } from '../../src/shell/contributions';
import { lazyApi } from '../../src/shell/lazyApi';
import { appendTail, KEPT_OUTPUT_CHARS } from '../../src/shell/outputTail';

describe('activation shell', () => {
  it('registers exactly the commands package.json contributes, each once', () => {
    assert.deepEqual([...COMMAND_IDS].sort(), pkg.contributes.commands.map((c) => c.command).sort());
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('has a command for every menu entry, and provides the view package.json contributes', () => {
    const menus = Object.values(pkg.contributes.menus as Record<string, { command: string }[]>).flat();
    for (const m of menus) assert.ok((COMMAND_IDS as readonly string[]).includes(m.command), `${m.command} is in a menu but not in COMMAND_IDS`);
    assert.deepEqual(Object.values(pkg.contributes.views).flat().map((v) => v.id), [CHAT_VIEW_ID]);
  });

  it('keeps at least twice the terminal attachment limit of a command\'s output, and its end', () => {
    assert.ok(KEPT_OUTPUT_CHARS >= 2 * MAX_TERMINAL_BYTES, `${KEPT_OUTPUT_CHARS} < 2 × ${MAX_TERMINAL_BYTES}`);
    let output = '';
    for (let i = 0; i < 5; i++) output = appendTail(output, `${i}`.repeat(KEPT_OUTPUT_CHARS / 2));
    assert.equal(output.length, KEPT_OUTPUT_CHARS);
    assert.equal(output, '3'.repeat(KEPT_OUTPUT_CHARS / 2) + '4'.repeat(KEPT_OUTPUT_CHARS / 2));
    assert.equal(appendTail('ab', 'c'), 'abc');
  });

  describe('the API facade', () => {
    const calls: unknown[][] = [];
    const host = {
      rename: async (...args: unknown[]) => void calls.push(['rename', ...args]),
      model: () => 'gpt-test',
      conversations: async () => [{ id: 'c1' }],
    } as unknown as ThreadlineApi;

    it('loads nothing until a method is called, then forwards arguments and results', async () => {
      let loads = 0;
      const api = lazyApi(() => (loads++, host));
      assert.equal(loads, 0);
      assert.equal(api.model(), 'gpt-test');
      await api.rename('c1', 'New title');
      assert.deepEqual(await api.conversations(), [{ id: 'c1' }]);
      assert.deepEqual(calls, [['rename', 'c1', 'New title']]);
      assert.equal(loads, 3, 'each call asks the loader, which the shell caches');
    });

    it('is a plain object with every method of the API and no `then`', () => {
      const api = lazyApi(() => host);
      assert.deepEqual(Object.keys(api).sort(), ['activeConversation', 'compactAndContinue', 'conversations', 'delete', 'edit', 'fork',
        'model', 'modelChoices', 'reasoningEffort', 'regenerate', 'rename', 'retry', 'setReasoningEffort', 'switchBranch', 'switchTo']);
      assert.ok(Object.values(api).every((f) => typeof f === 'function'));
      assert.equal('then' in api, false, 'a thenable would be awaited by whoever receives the exports');
    });
  });
});
