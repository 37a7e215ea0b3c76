// Shared by the integration tests, which run inside the extension host next to Threadline. They drive it
// only through its public surface (commands and settings) and watch the wire through the fake server,
// which runs in this same process.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AskResult, ThreadlineApi } from '../../src/host/api';
import { type FakeServer, type FakeServerOptions, type RecordedRequest, startFakeServer } from '../support/fakeResponsesServer';

/** The key the runner put in OPENAI_API_KEY, read once: some tests remove it from the env for a while. */
export type { AskResult };

export const API_KEY = process.env.OPENAI_API_KEY ?? '';

export const INSTRUCTIONS = 'Integration-test instructions: answer briefly.';
export const MODEL = 'gpt-integration-test';

const config = () => vscode.workspace.getConfiguration('threadline');

/** Writes a user (Global) setting, the only place threadline.baseURL is read from. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * Starts a fake Responses server that requires the runner's key, and points Threadline at it through
 * the user settings, with settings whose values the tests can recognise on the wire.
 */
export async function startAndUseFake(opts: FakeServerOptions & { port?: number } = {}): Promise<FakeServer> {
  assert.ok(API_KEY, 'OPENAI_API_KEY must be set for the integration tests (the runners set it)');
  const fake = await startFakeServer({ apiKey: API_KEY, ...opts });
  await setUserSetting('baseURL', fake.url);
  await setUserSetting('model', MODEL);
  await setUserSetting('instructions', INSTRUCTIONS);
  await setUserSetting('chaining', 'auto');
  await setUserSetting('store', true);
  // Faults in these tests are deliberate; SDK retries would only repeat them and slow the suite.
  await setUserSetting('maxRetries', 0);
  return fake;
}

export async function ask(question: string): Promise<AskResult> {
  const result = await vscode.commands.executeCommand<AskResult | undefined>('threadline.askFollowUp', { question });
  assert.ok(result, 'threadline.askFollowUp resolved with no result');
  return result;
}

/** Asks and insists on a completed turn with a response id. */
export async function askOk(question: string): Promise<AskResult & { responseId: string }> {
  const r = await ask(question);
  assert.strictEqual(r.status, 'completed', `turn "${question}" ended ${r.status}: ${r.error?.kind} ${r.error?.message}`);
  assert.ok(r.responseId, `turn "${question}" completed without a response id`);
  return r as AskResult & { responseId: string };
}

export async function newChat(): Promise<void> {
  await vscode.commands.executeCommand('threadline.newChat');
}

/** The `POST /v1/responses` requests the fake received, in order. */
export function createRequests(fake: FakeServer): RecordedRequest[] {
  return fake.requests.filter((r) => r.method === 'POST' && r.path.split('?')[0] === '/v1/responses');
}

/** The create requests made since `mark` (a count taken earlier with createRequests(fake).length). */
export function createRequestsSince(fake: FakeServer, mark: number): RecordedRequest[] {
  return createRequests(fake).slice(mark);
}

export interface Message { role: string; content: string }

/** `input` as plain {role, content} messages (a string input is one user message). */
export function inputMessages(body: { input?: unknown }): Message[] {
  const input = body.input;
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  assert.ok(Array.isArray(input), `input is neither a string nor an array: ${JSON.stringify(input)}`);
  return input.map((item: { role?: string; content?: unknown }) => ({
    role: String(item.role),
    content: typeof item.content === 'string'
      ? item.content
      : (item.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(''),
  }));
}

/** The only user message of a request that sends a single new turn. */
export function singleUserMessage(body: { input?: unknown }): string {
  const messages = inputMessages(body);
  assert.strictEqual(messages.length, 1, `expected only the new turn in input, got ${JSON.stringify(messages)}`);
  assert.strictEqual(messages[0].role, 'user');
  return messages[0].content;
}

/**
 * Finds the `header` line (`path:Lx-Ly`) in a message and returns the fenced block under it, without
 * the fences: the code exactly as it went to the model.
 */
export function fencedBlockUnder(message: string, header: string): string {
  const lines = message.split('\n');
  const at = lines.indexOf(header);
  assert.ok(at >= 0, `no line "${header}" in the message:\n${message}`);
  const open = /^(`{3,}|~{3,})[\w+#.-]*$/.exec(lines[at + 1] ?? '');
  assert.ok(open, `no opening fence right under "${header}":\n${message}`);
  const close = lines.findIndex((l, i) => i > at + 1 && l === open[1]);
  assert.ok(close > 0, `the fence under "${header}" is never closed:\n${message}`);
  return lines.slice(at + 2, close).join('\n');
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (the runner opens a fixture workspace)');
  return folder.uri;
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), relativePath));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exportedDocs: vscode.TextDocument[] = [];

/**
 * The active chat as Markdown, through "Export Chat as Markdown" (it opens an untitled document). The
 * document stays open until closeExports(): VS Code reuses the name of a closed untitled document, and
 * openTextDocument can then hand back the closed one's stale text (seen here in 2 of 10 tries).
 */
export async function exportedChat(): Promise<string> {
  const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('threadline.exportChat');
  assert.ok(doc, 'threadline.exportChat returned no document');
  exportedDocs.push(doc);
  return doc.getText();
}

/** Closes the exported documents without a save prompt. */
export async function closeExports(): Promise<void> {
  for (const doc of exportedDocs.splice(0)) {
    if (doc.isClosed) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/** Ids handed from one harness run to the next (restart tests): a JSON file named by THREADLINE_IDS_FILE. */
export function readIds(): Record<string, any> {
  const file = process.env.THREADLINE_IDS_FILE;
  assert.ok(file, 'THREADLINE_IDS_FILE must name the file that carries ids between runs');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

export function writeIds(patch: Record<string, unknown>): void {
  const file = process.env.THREADLINE_IDS_FILE!;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...readIds(), ...patch }, null, 2));
}

/**
 * Observed outcomes for docs/reliability.md: `<dir>/<section>.json`, where the dir is THREADLINE_RELIABILITY_OUT
 * (scripts/integration.mjs sets it) or the run's output folder. scripts/reliability-report.mjs renders them.
 */
export function writeReliability(section: string, data: unknown): void {
  const dir = process.env.THREADLINE_RELIABILITY_OUT
    ?? (process.env.THREADLINE_TEST_RESULT ? path.dirname(process.env.THREADLINE_TEST_RESULT) : undefined);
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${section}.json`), JSON.stringify({ section, at: new Date().toISOString(), vscode: vscode.version, data }, null, 2));
}

/** The API Threadline's activate() returns, activating it first when needed. */
export async function threadline(): Promise<ThreadlineApi> {
  const ext = vscode.extensions.getExtension<ThreadlineApi>('threadline.threadline');
  assert.ok(ext, 'the Threadline extension is not installed in this host');
  return ext.isActive ? ext.exports : ext.activate();
}
