// Errors keep what the user typed and say what to do; the endpoint comes from user settings only.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { type FakeServer, startFakeServer } from '../support/fakeResponsesServer';
import {
  API_KEY, ask, askOk, closeAllEditors, closeExports, createRequests, exportedChat, newChat, setUserSetting, singleUserMessage,
  startAndUseFake,
} from './helpers';

/** The port test/fixtures/workspace-a/.vscode/settings.json points threadline.baseURL at. */
const HOSTILE_PORT = 47913;

/** Runs `body` with OPENAI_API_KEY removed (or replaced) in this extension host's environment. */
async function withEnvKey<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  try {
    if (value === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = value;
    return await body();
  } finally {
    process.env.OPENAI_API_KEY = API_KEY;
  }
}

describe('errors and settings', () => {
  let fake: FakeServer;
  before(async () => {
    await closeAllEditors();
    fake = await startAndUseFake();
    // No secret was ever stored in this sandbox; make sure of it, so the env var is the only source.
    await vscode.commands.executeCommand('threadline.clearApiKey');
  });
  after(async () => {
    await closeExports();
    await fake?.close();
  });
  beforeEach(async () => {
    await newChat();
    fake.reset();
  });

  it('a missing key fails with kind auth and "Set API Key", and keeps the question', async () => {
    const question = 'Question asked without any key';
    const r = await withEnvKey(undefined, () => ask(question));
    assert.strictEqual(r.status, 'failed', JSON.stringify(r));
    assert.strictEqual(r.error?.kind, 'auth', JSON.stringify(r.error));
    assert.ok(r.error?.actions.includes('setApiKey'), `no setApiKey action: ${JSON.stringify(r.error)}`);
    assert.ok(r.error?.message, 'the error has no message');
    for (const req of createRequests(fake)) {
      assert.notStrictEqual(req.headers.authorization, `Bearer ${API_KEY}`, 'the removed key was still sent');
    }
    const transcript = await exportedChat();
    assert.ok(transcript.includes(question), `the question is not in the exported transcript:\n${transcript}`);
  });

  it('a wrong key (401) fails with kind auth and "Set API Key", and keeps the question', async () => {
    const question = 'Question asked with a revoked key';
    const r = await withEnvKey('sk-revoked-0000', () => ask(question));
    assert.strictEqual(r.status, 'failed', JSON.stringify(r));
    assert.strictEqual(r.error?.kind, 'auth', JSON.stringify(r.error));
    assert.ok(r.error?.actions.includes('setApiKey'), `no setApiKey action: ${JSON.stringify(r.error)}`);
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 1, 'a 401 must not be retried');
    assert.strictEqual(reqs[0].headers.authorization, 'Bearer sk-revoked-0000');
    const transcript = await exportedChat();
    assert.ok(transcript.includes(question), `the question is not in the exported transcript:\n${transcript}`);
  });

  it('after a failed turn, the next turn does not chain from it', async () => {
    const ok = await askOk('A good turn');
    await withEnvKey('sk-revoked-0000', () => ask('A failed turn'));
    await askOk('Another good turn');
    const reqs = createRequests(fake);
    assert.strictEqual(reqs.length, 3);
    assert.strictEqual(reqs[2].body.previous_response_id, ok.responseId);
    assert.strictEqual(singleUserMessage(reqs[2].body), 'Another good turn');
  });

  it('a 5xx names the endpoint and offers Retry; with maxRetries the SDK retries it and the turn completes', async () => {
    fake.inject({ status: 500, times: 1 });
    const failed = await ask('Into a server error');
    assert.strictEqual(failed.status, 'failed', JSON.stringify(failed));
    assert.strictEqual(failed.error?.kind, 'server', JSON.stringify(failed.error));
    assert.ok(failed.error?.actions.includes('retry'), JSON.stringify(failed.error));
    assert.ok(failed.error?.message.includes(`127.0.0.1:${fake.port}`), `the endpoint is not named: ${failed.error?.message}`);

    await setUserSetting('maxRetries', 1);
    try {
      fake.reset();
      fake.inject({ status: 503, times: 1 });
      await askOk('Into one 503, then through');
      assert.strictEqual(createRequests(fake).length, 2, 'expected the failed attempt and one retry');
    } finally {
      await setUserSetting('maxRetries', 0);
    }
  });

  it('threadline.requestTimeout abandons a request that takes too long', async () => {
    await setUserSetting('requestTimeout', 1);
    try {
      fake.inject({ latencyMs: 3000, times: 1 });
      const started = Date.now();
      const r = await ask('Into a slow server');
      assert.strictEqual(r.status, 'failed', JSON.stringify(r));
      assert.strictEqual(r.error?.kind, 'timeout', JSON.stringify(r.error));
      assert.ok(Date.now() - started < 2900, `the request was not abandoned after 1 s (${Date.now() - started} ms)`);
    } finally {
      await setUserSetting('requestTimeout', 600);
    }
  });

  it('ignores threadline.baseURL from the workspace settings: the key never goes there', async () => {
    const hostile = await startFakeServer({ apiKey: null, port: HOSTILE_PORT });
    try {
      const seen = vscode.workspace.getConfiguration('threadline').inspect<string>('baseURL');
      console.log(`  (threadline.baseURL as VS Code reports it: ${JSON.stringify(seen)})`);
      await askOk('Where does this go?');
      assert.strictEqual(hostile.requests.length, 0, 'the workspace baseURL received a request');
      assert.strictEqual(createRequests(fake).length, 1, 'the user baseURL did not receive the request');
      assert.strictEqual(createRequests(fake)[0].headers.authorization, `Bearer ${API_KEY}`);
    } finally {
      await hostile.close();
    }
  });

  it('follows a change of the user baseURL on the next turn', async () => {
    const other = await startFakeServer({ apiKey: API_KEY });
    try {
      await setUserSetting('baseURL', other.url);
      await askOk('To the other server');
      assert.strictEqual(createRequests(other).length, 1);
      assert.strictEqual(createRequests(fake).length, 0);
    } finally {
      await setUserSetting('baseURL', fake.url);
      await other.close();
    }
  });
});
