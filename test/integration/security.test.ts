// Bad input and security, in the real extension host:
//   - the chat view's message routing under 10,000+ garbage messages: a real ChatViewProvider and
//     ChatController, with a stand-in WebviewView whose onDidReceiveMessage the test fires (a test cannot
//     post as the real webview);
//   - selections that are too big, binary, or in files with odd names; an empty question;
//   - links and attachments the view may ask to open;
//   - the API key: after turns with it (and with a wrong one), it is in no file of the user-data dir or
//     the browser profile, in no log, and in no message to the view.
// Findings go to docs/reliability.md through writeReliability('security', ...).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import { ModelCatalog } from '../../src/core/modelCatalog';
import { MAX_SELECTION_BYTES as MAX_ATTACHMENT_BYTES } from '../../src/core/attachments';
import { ConversationStore } from '../../src/core/store/conversationStore';
import { nodeFileSystem } from '../../src/core/store/fileSystem';
import { MemoryMemento } from '../support/memento';
import { ModelPicker } from '../../src/host/modelPicker';
import { ChatController } from '../../src/host/chatController';
import { ChatViewProvider } from '../../src/host/chatViewProvider';
import { ContextSources } from '../../src/host/context/contextSources';
import { TerminalHistory } from '../../src/shell/terminalHistory';
import type { ApiKeyStore } from '../../src/host/secrets';
import type { Settings } from '../../src/host/settings';
import { parseWebviewMessage } from '../../src/shared/protocol';
import type { FakeServer } from '../support/fakeResponsesServer';
import {
  API_KEY, MODEL, ask, askOk, closeAllEditors, createRequests, newChat, singleUserMessage, startAndUseFake, writeReliability,
  threadline,
} from './helpers';


/** A small deterministic PRNG, so a failing fuzz case can be reproduced from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A LogOutputChannel that counts, for the provider and the controller under test. */
function countingLog() {
  const lines = { info: [] as string[], warn: [] as string[], error: [] as string[] };
  const log = {
    name: 'Threadline (test)', logLevel: 2, onDidChangeLogLevel: () => ({ dispose() {} }),
    trace() {}, debug() {}, append() {}, appendLine() {}, replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
    info: (m: string) => lines.info.push(m),
    warn: (m: string) => lines.warn.push(m),
    error: (m: string) => lines.error.push(String(m)),
  };
  return { log: log as unknown as vscode.LogOutputChannel, lines };
}

/** A WebviewView stand-in: the provider sets its html and listens to it; the test fires messages into it. */
class FakeWebviewView {
  readonly posted: unknown[] = [];
  private readonly listeners: Array<(m: unknown) => unknown> = [];
  visible = true;
  readonly webview = {
    options: {} as vscode.WebviewOptions,
    html: '',
    cspSource: 'https://threadline.test',
    asWebviewUri: (u: vscode.Uri) => u,
    onDidReceiveMessage: (l: (m: unknown) => unknown) => {
      this.listeners.push(l);
      return { dispose: () => undefined };
    },
    postMessage: async (m: unknown) => {
      this.posted.push(m);
      return true;
    },
  };
  readonly onDidDispose = () => ({ dispose: () => undefined });
  readonly onDidChangeVisibility = () => ({ dispose: () => undefined });
  show(): void {}
  fire(m: unknown): void {
    for (const l of this.listeners) l(m);
  }
  /** Sends `ready` and waits for the snapshot that answers it: only then does the provider take intents. */
  async ready(): Promise<void> {
    this.fire({ type: 'ready' });
    const deadline = Date.now() + 10_000;
    while (!this.posted.some((m) => (m as { type?: unknown }).type === 'snapshot')) {
      if (Date.now() > deadline) throw new Error('the provider never answered ready with a snapshot');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** A provider and controller of their own, over a scratch store, pointed at `fake`. */
function isolatedView(fake: FakeServer, dir: string) {
  const { log, lines } = countingLog();
  const settings: Settings = {
    baseURL: fake.url, model: MODEL, instructions: 'fuzz', store: true, chaining: 'auto', retentionDays: 30, maxRetries: 0, timeoutMs: 10_000,
    reasoningEffort: 'default', reasoningSummary: 'auto', compaction: 'auto', contextWindow: 0,
  };
  const keys = { get: async () => API_KEY, has: async () => true } as unknown as ApiKeyStore;
  const controller = new ChatController({
    openStore: async () => {
      const s = new ConversationStore(nodeFileSystem, dir, new MemoryMemento(), 'security-test');
      await s.open();
      return s;
    },
    keys,
    capabilities: new EndpointCapabilities(new MemoryMemento()),
    settings: () => settings,
    log,
  });
  const models = new ModelPicker(controller, new ModelCatalog(new MemoryMemento()), () => settings);
  const terminals = new TerminalHistory();
  const sources = new ContextSources(terminals);
  const provider = new ChatViewProvider(vscode.Uri.file(dir), controller, log, models, sources);
  const view = new FakeWebviewView();
  provider.resolveWebviewView(view as unknown as vscode.WebviewView);
  return { controller, provider, view, lines, dispose: () => { provider.dispose(); sources.dispose(); terminals.dispose(); controller.dispose(); } };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

/** The message types the view may send (valid ones are dropped before `ready`), and some it may not. */
const TYPES = ['ready', 'send', 'stop', 'retry', 'newChat', 'copy', 'insertCode', 'openAttachment', 'openLink', 'setApiKey',
  'openSettings', 'loadEarlier', 'fork', 'edit', 'switchBranch', 'showHistory', 'exportChat', 'copyAsMarkdown', 'requestHistory',
  'switchConversation', 'renameConversation', 'deleteConversation', '', 'READY', 'send ', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', 'eval', 'runCommand', 'openFile', 'executeCommand'];
const FIELDS = ['requestId', 'text', 'attachments', 'turnId', 'beforeTurnId', 'direction', 'uri', 'startLine', 'endLine', 'href', 'code',
  'conversationId', 'title', 'command', 'args', '__proto__', 'constructor', 'then'];

function garbage(r: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * (depth > 3 ? 9 : 14))) {
    case 0: return pick([undefined, null, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2]);
    case 1: return pick(['', ' ', 'ready', 'send', '\u0000', '\ud800', '<script>alert(1)</script>', 'command:workbench.action.reloadWindow']);
    case 2: return 'x'.repeat(Math.floor(r() * 5000));
    case 3: return pick(['javascript:alert(1)', 'file:///etc/passwd', 'vscode://ms-vscode.remote/x', 'command:threadline.setApiKey', 'https://127.0.0.2/exfil?k=']);
    case 4: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 0x10000)));
    case 5: return pick([new Date(0), new Uint8Array([0, 1, 2]), new ArrayBuffer(8), new Map([['type', 'send']]), new Set(['ready']), /re/g]);
    case 6: return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 7: return pick([BigInt(1), Symbol('s'), () => 'fn']);
    case 8: return pick(['previous', 'next', 'up', 'selection', 'file:///a.ts', 'x'.repeat(201), 'x'.repeat(4001)]);
    case 9: return Array.from({ length: Math.floor(r() * 4) }, () => garbage(r, depth + 1));
    case 10: return new Array(Math.floor(r() * 30)).fill({ kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 1, languageId: 'ts', code: 'x' });
    case 11: { let deep: unknown = { type: 'send' }; for (let i = 0; i < 500; i++) deep = { type: 'send', text: deep }; return deep; }
    default: {
      const o: Record<string, unknown> = r() < 0.8 ? { type: pick(TYPES) } : {};
      for (const f of FIELDS) if (r() < 0.35) o[f] = garbage(r, depth + 1);
      if (r() < 0.05) return JSON.parse(`{"type":"${pick(TYPES)}","__proto__":{"type":"send","polluted":true}}`);
      if (r() < 0.05) Object.setPrototypeOf(o, { type: 'send', requestId: 'r1', text: 'from the prototype', attachments: [] });
      return o;
    }
  }
}

/** A valid message with one field broken: the near misses a buggy or hostile view would send. */
function nearMiss(r: () => number): unknown {
  const att = { kind: 'selection', path: 'a.ts', uri: 'file:///a.ts', startLine: 1, endLine: 2, languageId: 'typescript', code: 'x' };
  const valid: Array<Record<string, unknown>> = [
    { type: 'send', requestId: 'r1', text: 'hello', attachments: ['chip-1'] }, { type: 'retry', turnId: 't1' }, { type: 'edit', turnId: 't1', text: 'x' },
    { type: 'switchBranch', turnId: 't1', direction: 'next' }, { type: 'openAttachment', uri: 'file:///etc/passwd', startLine: 1, endLine: 2 },
    { type: 'openLink', href: 'https://example.com' }, { type: 'insertCode', code: 'rm -rf /' }, { type: 'copy', text: 'x' },
    { type: 'fork', turnId: 't1' }, { type: 'loadEarlier', requestId: 'r2', beforeTurnId: 't1' }, { type: 'switchConversation', conversationId: 'c' },
    { type: 'renameConversation', conversationId: 'c', title: 't' }, { type: 'deleteConversation', conversationId: 'c' }, { type: 'stop' },
  ];
  const m: Record<string, unknown> = { ...valid[Math.floor(r() * valid.length)]! };
  const keys = Object.keys(m).filter((k) => k !== 'type');
  const how = Math.floor(r() * 5);
  if (how === 0 || keys.length === 0) m[['extra', 'command', 'args', 'stored', 'confirmed'][Math.floor(r() * 5)]!] = true;
  else if (how === 1) delete m[keys[Math.floor(r() * keys.length)]!];
  else if (how === 2) m[keys[Math.floor(r() * keys.length)]!] = garbage(r, 2);
  else if (how === 3) m.type = `${m.type as string}`.toUpperCase();
  else m.attachments = [{ ...att, [['startLine', 'endLine', 'kind', 'code', 'uri'][Math.floor(r() * 5)]!]: garbage(r, 2) }];
  return m;
}

describe('bad input and security', function () {
  this.timeout(120_000);
  let fake: FakeServer;
  let scratch: string;
  const report: Record<string, unknown> = {};

  before(async () => {
    await closeAllEditors();
    await threadline();
    fake = await startAndUseFake();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-security-'));
  });
  after(async () => {
    writeReliability('security', report);
    await closeAllEditors();
    await fake?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('routes 10,000 garbage messages from the view without a crash, a request, a command or a write', async () => {
    const v = isolatedView(fake, path.join(scratch, 'fuzz-store'));
    const sentinel = `clipboard sentinel ${Date.now()}`;
    await vscode.env.clipboard.writeText(sentinel);
    const docs = vscode.workspace.textDocuments.length;
    const tabs = vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0);
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    const r = rng(20261122);
    const t0 = Date.now();
    let beforeReady = 0;
    let afterReady = 0;
    let nearMisses = 0;
    try {
      // Before the handshake, even well-formed intents are dropped.
      for (let i = 0; i < 2_000; i++) {
        const m = i % 2 ? nearMiss(r) : garbage(r);
        if ((parseWebviewMessage(m)?.type ?? '') === 'ready') continue;
        v.view.fire(m);
        beforeReady++;
      }
      await settle();
      assert.deepStrictEqual(v.view.posted, [], 'the provider posted before the ready handshake');
      v.view.fire({ type: 'ready' });
      for (let i = 0; afterReady < 10_000; i++) {
        const m = i % 3 === 0 ? nearMiss(r) : garbage(r);
        if (parseWebviewMessage(m) !== undefined) continue; // only invalid ones here
        if (i % 3 === 0) nearMisses++;
        v.view.fire(m);
        afterReady++;
      }
      await settle();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    const ms = Date.now() - t0;
    assert.deepStrictEqual(rejections, [], 'an action failed without being caught');
    assert.deepStrictEqual(v.lines.error, [], 'the provider logged errors');
    assert.strictEqual(createRequests(fake).length, 0, 'a garbage message reached the endpoint');
    assert.strictEqual(fake.requests.length, 0, 'a garbage message made a request');
    assert.deepStrictEqual(await v.controller.session.list(), [], 'a garbage message created a conversation');
    assert.deepStrictEqual(v.view.posted.map((m) => (m as { type: string }).type), ['snapshot'], 'only the snapshot for ready');
    assert.strictEqual(await vscode.env.clipboard.readText(), sentinel, 'a garbage message wrote the clipboard');
    assert.strictEqual(vscode.workspace.textDocuments.length, docs, 'a garbage message opened a document');
    assert.strictEqual(vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0), tabs, 'a garbage message opened an editor');
    assert.strictEqual(v.lines.warn.length, beforeReady + afterReady, 'every dropped message is logged once');

    // The routing still works: one valid send goes through.
    v.view.fire({ type: 'send', requestId: 'r-fuzz', text: 'A valid message after the fuzz', attachments: [] });
    const deadline = Date.now() + 10_000;
    while (!v.view.posted.some((m) => (m as { type: string }).type === 'turnFinished') && Date.now() < deadline) await settle();
    assert.strictEqual(createRequests(fake).length, 1);
    assert.strictEqual(singleUserMessage(createRequests(fake)[0]!.body), 'A valid message after the fuzz');
    v.dispose();
    report.fuzz = { beforeReady, afterReady, nearMisses, ms, requests: 0, errorsLogged: 0, postedBeforeReady: 0, seed: 20261122 };
  });

  it('opens only http(s) links, never other schemes, and only attached files', async () => {
    const v = isolatedView(fake, path.join(scratch, 'links-store'));
    await v.view.ready();
    const tabs = vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0);
    const refused = ['javascript:alert(1)', 'JavaScript:alert(1)', 'command:workbench.action.reloadWindow', 'command:threadline.setApiKey',
      'file:///etc/passwd', 'vscode://threadline.threadline/x', 'vscode-remote://x/etc/passwd', 'data:text/html,<script>1</script>', 'mailto:a@b.c', 'ftp://x/y'];
    for (const href of refused) v.view.fire({ type: 'openLink', href });
    v.view.fire({ type: 'openAttachment', uri: vscode.Uri.file('/etc/passwd').toString(), startLine: 1, endLine: 2 });
    v.view.fire({ type: 'openAttachment', uri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'src', 'math.ts').toString(), startLine: 1, endLine: 2 });
    await settle();
    await settle();
    assert.strictEqual(v.lines.warn.filter((w) => /refused to open a .*link/.test(w)).length, refused.length, v.lines.warn.join('\n'));
    assert.strictEqual(v.lines.warn.filter((w) => /not an attachment/.test(w)).length, 2, v.lines.warn.join('\n'));
    assert.strictEqual(vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0), tabs, 'something was opened');
    v.dispose();
    report.links = { refusedSchemes: refused, notAttachedFilesRefused: 2, note: 'http(s) links ask first in a modal dialog (checked by the e2e test in the real view)' };
  });

  it('refuses an empty question before anything is sent', async () => {
    const tried: Record<string, string> = {};
    for (const q of ['', '   ', '\n\t \n']) {
      const r = await ask(q);
      assert.strictEqual(r.status, 'failed');
      assert.strictEqual(r.error?.kind, 'invalid_input');
      assert.match(r.error!.message, /Type a question first/);
      tried[JSON.stringify(q)] = r.error!.message;
    }
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'const a = 1;\n', language: 'plaintext' }));
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    const viaMenu = await vscode.commands.executeCommand('threadline.askAboutSelection', editor.document.uri, { question: '  ' });
    assert.strictEqual(viaMenu, undefined, 'an empty question about a selection sends nothing');
    assert.strictEqual(createRequests(fake).length, 0);
    assert.strictEqual(await (await threadline()).activeConversation(), undefined, 'nothing was recorded');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    report.emptyQuestion = { tried: Object.keys(tried), message: Object.values(tried)[0], requests: 0 };
  });

  /** Writes a file into the scratch folder, opens it and selects the given lines (all when omitted). */
  async function openScratch(name: string, content: string | Uint8Array): Promise<vscode.TextEditor> {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, content);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), { preview: false });
    return editor;
  }

  // Plain-text files: a 1.5 MB .ts file keeps VS Code's own TypeScript extension busy for seconds (measured:
  // "Extension host is unresponsive" while it opens), which would time that extension, not Threadline.
  it('refuses selections over the limits with a clear message, quickly, and sends nothing', async () => {
    const line = 'const value = computeSomething(alpha, beta, gamma); // a line of ordinary code\n';
    const big = line.repeat(Math.ceil(1.5 * 1024 * 1024 / line.length));
    let t0 = Date.now();
    const editor = await openScratch('big.txt', big);
    const results: Record<string, unknown> = { openMs: Date.now() - t0 };

    const all = (e: vscode.TextEditor) => new vscode.Selection(new vscode.Position(0, 0), e.document.lineAt(e.document.lineCount - 1).range.end);
    editor.selection = all(editor);
    t0 = Date.now();
    const one = await ask('Explain this 1.5 MB selection');
    results.oneSelection = { bytes: Buffer.byteLength(big), ms: Date.now() - t0, message: one.error?.message };
    assert.strictEqual(one.error?.kind, 'invalid_input', JSON.stringify(one));
    assert.match(one.error!.message, /big\.txt:L1-L\d+ is 1\.5 MB; Threadline sends at most 512 KB per selection\. Select less code\./);

    const third = Math.floor(editor.document.lineCount / 3.5);
    editor.selections = [0, 1, 2].map((k) => new vscode.Selection(k * third, 0, (k + 1) * third - 1, 0));
    t0 = Date.now();
    const many = await ask('Explain these three selections');
    results.threeSelections = { bytes: editor.selections.reduce((n, s) => n + Buffer.byteLength(editor.document.getText(s)), 0), ms: Date.now() - t0, message: many.error?.message };
    assert.strictEqual(many.error?.kind, 'invalid_input', JSON.stringify(many));
    assert.match(many.error!.message, /The attachments add up to 1\.\d MB; Threadline sends at most 1\.0 MB per turn/);
    for (const ms of [results.oneSelection, results.threeSelections].map((x) => (x as { ms: number }).ms)) {
      assert.ok(ms < 3000, `a refused selection took ${ms} ms`);
    }

    console.log(`  refused in ${JSON.stringify(results)}`);
    // Just under the per-selection limit goes through (the fake answers briefly instead of echoing it).
    const under = line.repeat(Math.floor((MAX_ATTACHMENT_BYTES - 4096) / line.length));
    const editor2 = await openScratch('under.txt', under);
    editor2.selection = all(editor2);
    fake.script({ text: 'A short answer about a long selection.' });
    t0 = Date.now();
    const ok = await askOk('Explain this selection just under the limit');
    console.log(`  sent ${Buffer.byteLength(under)} bytes in ${Date.now() - t0} ms`);
    results.underTheLimit = { bytes: Buffer.byteLength(under), ms: Date.now() - t0, status: ok.status };
    assert.strictEqual(createRequests(fake).length, 1, 'only the selection under the limit was sent');
    await closeAllEditors();
    report.bigSelections = results;
  });

  it('refuses binary content, and sends code from files with odd names under their exact names', async () => {
    const binary = Buffer.concat([Buffer.from('const header = 1;\n'.repeat(60)), Buffer.from([0, 1, 2, 0, 255, 0]), Buffer.from('\nconst after = 2;\n')]);
    const editor = await openScratch('data.bin.txt', binary);
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), editor.document.lineAt(editor.document.lineCount - 1).range.end);
    const bin = await ask('What is in this binary file?');
    assert.strictEqual(bin.error?.kind, 'invalid_input', JSON.stringify(bin));
    assert.match(bin.error!.message, /data\.bin\.txt looks like a binary file \(it contains NUL bytes\), so it was not attached/);
    assert.strictEqual(createRequests(fake).length, 0);
    await closeAllEditors();

    // Plain text, so that no language extension starts: this is about the names.
    const names = [
      'file with spaces.txt',
      'ünïcödé-файл-文件-🧵.txt',
      'hash#and%percent%20and+plus&amp;.txt',
      `${'very-long-name-'.repeat(15)}end.txt`,
      '[brackets] (parens) {braces} ;semicolon,comma.txt',
    ];
    const sent: Record<string, { ms: number; header: string }> = {};
    for (const name of names) {
      const ed = await openScratch(name, 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
      ed.selection = new vscode.Selection(0, 0, 1, 19);
      const mark = createRequests(fake).length;
      const t0 = Date.now();
      const r = await askOk(`About ${name}`);
      const ms = Date.now() - t0;
      const message = singleUserMessage(createRequests(fake)[mark]!.body);
      const header = `${name}:L1-L2`;
      assert.ok(message.split('\n').includes(header), `no header "${header}" in:\n${message}`);
      assert.ok(message.includes('export const a = 1;\nexport const b = 2;'), message);
      const turn = (await (await threadline()).activeConversation())!.turns.find((t) => t.id === r.turnId)!;
      const attached = turn.attachments[0]!;
      assert.ok(attached.kind === 'selection', attached.kind);
      assert.strictEqual(attached.path, name);
      assert.strictEqual(vscode.Uri.parse(attached.uri, true).fsPath, path.join(scratch, name), 'the attachment URI must round-trip');
      sent[name] = { ms, header };
      await closeAllEditors();
    }
    report.binaryAndNames = { binary: bin.error!.message, names: sent };
  });

  it('keeps the API key out of every file, log and view message', async () => {
    // Turns with the key, and one with a wrong key, so that an error path had its chance to leak it too.
    await askOk('A turn with the key');
    const wrong = 'sk-wrong-key-that-must-not-leak-0000';
    process.env.OPENAI_API_KEY = wrong;
    try {
      const r = await ask('A turn with a wrong key');
      assert.strictEqual(r.error?.kind, 'auth');
    } finally {
      process.env.OPENAI_API_KEY = API_KEY;
    }
    const v = isolatedView(fake, path.join(scratch, 'key-store'));
    await v.view.ready();
    v.view.fire({ type: 'send', requestId: 'r-key', text: 'A turn through the view', attachments: [] });
    const deadline = Date.now() + 10_000;
    while (!v.view.posted.some((m) => (m as { type: string }).type === 'turnFinished') && Date.now() < deadline) await settle();
    v.dispose();
    // Give VS Code a moment to flush logs and state.
    await new Promise((r) => setTimeout(r, 1500));

    const ud = process.env.THREADLINE_USER_DATA_DIR
      ?? (process.env.CODE_SERVER_SESSION_SOCKET ? path.dirname(process.env.CODE_SERVER_SESSION_SOCKET) : undefined);
    assert.ok(ud && fs.existsSync(ud), 'cannot find the user-data dir');
    // Without --user-data-dir the harness keeps user data and the browser profile side by side in one sandbox.
    const roots = [ud, ...(path.basename(ud) === 'ud' ? [path.join(path.dirname(ud), 'browser')] : [])].filter((d) => fs.existsSync(d));
    const needles = [API_KEY, wrong].flatMap((k) => [Buffer.from(k, 'utf8'), Buffer.from(k, 'utf16le'), Buffer.from(Buffer.from(k).toString('base64'))]);
    let files = 0;
    let bytes = 0;
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) {
          let data: Buffer;
          try {
            data = fs.readFileSync(p);
          } catch {
            continue; // a socket or a file that went away
          }
          files++;
          bytes += data.length;
          if (needles.some((n) => data.includes(n))) hits.push(path.relative(ud, p));
        }
      }
    };
    roots.forEach(walk);
    const messages = JSON.stringify(v.view.posted);
    assert.ok(files > 20, `only ${files} files scanned: is this the right folder?`);
    assert.deepStrictEqual(hits, [], 'the key is in these files');
    assert.ok(!messages.includes(API_KEY) && !messages.includes(wrong), 'the key is in a message to the view');
    assert.ok(v.view.posted.length > 3, 'the view got too few messages for this check to mean anything');
    const logs = fs.readdirSync(path.join(ud, 'logs'));
    report.keyScan = {
      keySource: 'OPENAI_API_KEY (the integration host cannot type into the Set API Key box; the e2e test sets it through it)',
      roots: roots.map((d) => path.basename(d)),
      filesScanned: files,
      bytesScanned: bytes,
      encodings: ['utf-8', 'utf-16le', 'base64'],
      hits,
      viewMessagesScanned: v.view.posted.length,
      logSessions: logs.length,
    };
  });
});
