// Screenshots of a realistic conversation in dark, light and high-contrast themes, for people to look at
// (written to /tmp/wv-shots, or $WEBVIEW_SHOTS). They also check that the codicon font loaded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { TurnView } from '../../src/shared/protocol';
import { CONV, chip, draftChip, turn } from './support/fixtures';
import { webviewEnv, type View } from './support/harness';
import type { ThemeKind } from './support/theme';

const SHOTS = process.env.WEBVIEW_SHOTS ?? '/tmp/wv-shots';

function conversation(): { turns: TurnView[]; live: TurnView } {
  const t1 = turn({
    question: 'Why does parseArgs drop the last flag?',
    attachments: [chip({ path: 'src/cli/args.ts', startLine: 12, endLine: 31 })],
    mode: 'fresh',
    answer: [
      'The loop stops one short: `i < argv.length - 1` skips the last element.',
      '',
      '```ts',
      'export function parseArgs(argv: string[]): Record<string, string> {',
      '  const out: Record<string, string> = {};',
      '  for (let i = 0; i < argv.length; i++) {',
      "    const [k, v = 'true'] = argv[i].split('=');",
      '    out[k.replace(/^--/, "")] = v; // keep the value',
      '  }',
      '  return out;',
      '}',
      '```',
      '',
      'See the [Node docs](https://nodejs.org/api/process.html#processargv) for `process.argv`.',
    ].join('\n'),
    siblingIndex: 2,
    siblingCount: 2,
  });
  const t2 = turn({
    parentId: t1.id,
    question: 'And the tests?',
    status: 'failed',
    answer: '',
    error: { kind: 'rate_limit', message: 'Rate limited by api.openai.com. Try again in 20 s.', actions: ['retry'], status: 429, retryAfter: 20 },
    usage: undefined,
  });
  const live = turn({ parentId: t2.id, question: 'Write a test for it, please.', status: 'streaming', answer: '' });
  return { turns: [t1, t2], live };
}

async function shoot(v: View, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await v.page.evaluate(() => document.fonts.ready.then(() => undefined));
  await v.page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 5000, `${file} written`);
}

describe('screenshots', function () {
  const env = webviewEnv();

  for (const theme of ['dark', 'light', 'hc'] as ThemeKind[]) {
    it(`renders a conversation in the ${theme} theme`, env.run({ theme, height: 1000 }, async (v) => {
      const { turns, live } = conversation();
      await v.snapshot(turns, { title: 'Why does parseArgs drop the last flag?', state: { busy: true } });
      await v.send({ type: 'turnStarted', conversationId: CONV, turn: live });
      await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'Here is a test with **mocha**:\n\n```ts\nimport assert from "node:assert/strict";\n\nit("keeps the last flag", () => {\n  assert.deepEqual(parseArgs(["--a=1", "--b"]), { a: "1", b: "true" });\n' });
      await v.send({ type: 'addAttachments', attachments: [draftChip({ path: 'test/args.test.ts', startLine: 1, endLine: 40 })] });
      await v.send({ type: 'notice', level: 'info', message: 'The server had forgotten the chain; the transcript was replayed.', actions: [] });
      await v.page.getByRole('textbox', { name: 'Message' }).fill('Also cover --flag=value with spaces');
      await v.frames();
      await v.page.locator('.scroller').evaluate((s) => (s.scrollTop = 0));
      await v.page.getByRole('button', { name: 'Insert at Cursor' }).first().focus();
      await v.highlighting();
      const fontOk = await v.page.evaluate(() => document.fonts.check('16px codicon'));
      assert.equal(fontOk, true, 'codicon font loaded');
      await shoot(v, `${theme}.png`);
    }));
  }

  it('renders the streaming end of a conversation in a narrow sidebar', env.run({ theme: 'dark', width: 300, height: 640 }, async (v) => {
    const { turns, live } = conversation();
    await v.snapshot(turns, { state: { busy: true } });
    await v.send({ type: 'turnStarted', conversationId: CONV, turn: live });
    await v.send({ type: 'delta', conversationId: CONV, turnId: live.id, part: 'text', text: 'Here is a test with **mocha**:\n\n```ts\nimport assert from "node:assert/strict";\n\nit("keeps the last flag", () => {\n  assert.deepEqual(parseArgs(["--a=1", "--b"]), { a: "1", b: "true" });\n' });
    await v.highlighting();
    await v.page.getByRole('textbox', { name: 'Message' }).focus();
    await shoot(v, 'dark-narrow-streaming.png');
  }));

  it('renders the empty state without a key', env.run({ theme: 'dark', height: 560 }, async (v) => {
    await v.snapshot([], { state: { hasKey: false } });
    await shoot(v, 'empty-dark.png');
  }));

  it('renders the empty state in the light theme', env.run({ theme: 'light', height: 560 }, async (v) => {
    await v.snapshot([], { state: { hasKey: true } });
    await shoot(v, 'empty-light.png');
  }));
});
