// The fault matrix, in the real extension host through `threadline.askFollowUp`: for every failure an
// endpoint can produce, one turn into the fault and one after it. Each row asserts, and records for
// docs/reliability.md (scripts/reliability-report.mjs), what was observed:
//   - the turn's status, and its error: kind, the actions offered, and a message that says what to do;
//   - the question is still in the transcript (the API's active conversation), with any partial answer;
//   - the chain stays consistent: the next request chains from the last completed response (or, after a
//     recovery, from the recovered one; or replays when the endpoint cannot chain), seen in the fake's log;
//   - the next turn completes once the fault is gone.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import type { ThreadlineApi } from '../../src/host/api';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../support/fakeResponsesServer';
import {
  API_KEY, type AskResult, MODEL, ask, askOk, closeAllEditors, createRequests, inputMessages, newChat,
  setUserSetting, startAndUseFake, waitFor, writeReliability,
  threadline,
} from './helpers';


/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the next turn's first request must chain from. */
type ChainExpectation =
  | 'base' // the last completed response before the fault: the faulted turn is not a parent
  | 'faulted' // the faulted turn completed (retried or recovered), so it is the parent
  | 'replay'; // the endpoint cannot chain: no previous_response_id, the whole transcript as input

interface RowSpec {
  id: string;
  fault: string;
  /** How the fault is produced, for the table. */
  injected: string;
  /** Before the base turn: e.g. a server of the row's own. */
  prepare?: (ctx: RowContext) => Promise<void> | void;
  /** After the base turn, right before the faulted one: sets the fault up. */
  arm?: (ctx: RowContext) => Promise<void> | void;
  /** Undoes the fault (settings, options); injected faults apply once and clear themselves. */
  clear?: (ctx: RowContext) => Promise<void> | void;
  question?: string;
  expect: {
    status: AskResult['status'];
    kind?: string;
    actions?: string[];
    message?: RegExp;
    /** The partial answer streamed before the fault must be kept. */
    partial?: boolean;
    /** The reasoning summary streamed before the fault must be kept with the turn. */
    reasoning?: boolean;
    /** The turn's details must say how the request was adapted. */
    note?: RegExp;
    /** How the completed turn reached the model's context (turn.mode), for recoveries. */
    mode?: string;
    /** No request may reach the endpoint (settings refused before sending). */
    noRequest?: boolean;
    /** At least this long (ms): the SDK waited as `retry-after` said. */
    minMs?: number;
    requests?: number;
  };
  next: ChainExpectation;
}

interface RowContext {
  /** The server the row talks to (the shared fake, or one of its own). */
  server: FakeServer;
  /** Servers the row started, closed after it. */
  own: FakeServer[];
}

export interface FaultRow {
  id: string;
  fault: string;
  injected: string;
  where: string;
  status: string;
  errorKind?: string;
  message?: string;
  actions: string[];
  mode?: string;
  replayedBecause?: string;
  textKept: boolean;
  partialChars?: number;
  partialKept?: boolean;
  reasoningChars?: number;
  reasoningKept?: boolean;
  /** What the turn's details say (a refused parameter dropped, refused items sent as text). */
  notes?: string[];
  requests: number;
  ms: number;
  next: {
    expected: ChainExpectation;
    previousResponseId?: string;
    matches: boolean;
    status: string;
  };
  /** Assertion failures for this row (empty when it behaved as expected). */
  problems: string[];
}

/** A scripted reasoning summary long enough to stop in the middle of. */
const reasoningScript = 'First I look at what the question asks. Then I weigh the options one by one, slowly. '.repeat(4);

const LONG_ANSWER = 'This answer is long enough to run into the model output limit well before it ends. '.repeat(4);

describe('fault matrix: every endpoint failure, through threadline.askFollowUp', function () {
  this.timeout(60_000);
  let fake: FakeServer;
  let api: ThreadlineApi;
  const rows: FaultRow[] = [];

  before(async () => {
    await closeAllEditors(); // no selection may ride along
    api = await threadline();
    fake = await startAndUseFake();
    await setUserSetting('requestTimeout', 600);
  });
  after(async () => {
    writeReliability('faults', rows);
    await setUserSetting('baseURL', fake?.url);
    await setUserSetting('maxRetries', 0);
    await setUserSetting('requestTimeout', 600);
    await setUserSetting('chaining', 'auto');
    await setUserSetting('model', MODEL);
    process.env.OPENAI_API_KEY = API_KEY;
    await fake?.close();
  });

  /** Runs one row: a base turn, the faulted turn, the check of the transcript, and the next turn. */
  async function runRow(spec: RowSpec): Promise<void> {
    await newChat();
    fake.reset();
    const ctx: RowContext = { server: fake, own: [] };
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => ok || problems.push(what);
    const question = spec.question ?? `${spec.fault}: the question must survive this`;
    const baseQuestion = `${spec.id}: a completed turn before the fault`;
    try {
      await spec.prepare?.(ctx);
      if (ctx.server !== fake) await setUserSetting('baseURL', ctx.server.url);
      const base = await askOk(baseQuestion);
      await spec.arm?.(ctx);
      const before = createRequests(ctx.server).length;
      const t0 = Date.now();
      const r = await ask(question);
      const ms = Date.now() - t0;
      const faultedRequests = createRequests(ctx.server).slice(before);
      await spec.clear?.(ctx);
      // The next turn goes to the row's server again (a row may have pointed baseURL elsewhere).
      if (vscode.workspace.getConfiguration('threadline').inspect('baseURL')?.globalValue !== ctx.server.url) {
        await setUserSetting('baseURL', ctx.server.url);
      }

      const conv = await api.activeConversation();
      const turn = conv?.turns.find((t) => t.id === r.turnId);
      const textKept = turn?.question === question;
      const stream = ctx.server.streams.at(-1);
      const partialKept = spec.expect.partial ? !!r.text && r.text === stream?.sentText && turn?.answer === r.text : undefined;
      const reasoningKept = spec.expect.reasoning ? !!turn?.reasoningSummary && reasoningScript.startsWith(turn.reasoningSummary.replace(/\n\n/g, '')) : undefined;

      const nextMark = createRequests(ctx.server).length;
      const next = await ask(`${spec.id}: the next turn, after the fault`);
      const first: RecordedRequest | undefined = createRequests(ctx.server)[nextMark];
      const prev: string | undefined = first?.body.previous_response_id ?? undefined;
      let matches: boolean;
      if (spec.next === 'replay') {
        const sent = first ? inputMessages(first.body).map((m) => m.content) : [];
        matches = prev === undefined && sent[0] === baseQuestion && sent.includes(question) && sent.at(-1) === `${spec.id}: the next turn, after the fault`;
      } else {
        matches = prev === (spec.next === 'faulted' ? r.responseId : base.responseId);
      }

      const e = spec.expect;
      check(r.status === e.status, `status ${r.status}, expected ${e.status}`);
      check(r.error?.kind === e.kind, `error kind ${r.error?.kind}, expected ${e.kind}`);
      for (const a of e.actions ?? []) check(!!r.error?.actions.includes(a as never), `no "${a}" action in ${JSON.stringify(r.error?.actions)}`);
      if (e.message) check(e.message.test(r.error?.message ?? ''), `message ${JSON.stringify(r.error?.message)} does not match ${e.message}`);
      // Stop is the user's own action: its "Stopped." needs no explanation.
      if (e.kind && e.kind !== 'aborted') check((r.error?.message.length ?? 0) >= 20, 'the message is too short to say anything');
      if (e.reasoning) check(!!reasoningKept, `reasoning summary not kept: ${JSON.stringify(turn?.reasoningSummary)}`);
      if (e.note) check(e.note.test(turn?.notes?.join(' ') ?? ''), `the details say ${JSON.stringify(turn?.notes)}, expected ${e.note}`);
      if (e.partial) check(!!partialKept, `partial answer not kept: result ${JSON.stringify(r.text)}, streamed ${JSON.stringify(stream?.sentText)}, transcript ${JSON.stringify(turn?.answer)}`);
      if (e.mode) check(turn?.mode === e.mode, `turn mode ${turn?.mode}, expected ${e.mode}`);
      if (e.noRequest) check(faultedRequests.length === 0, `${faultedRequests.length} request(s) reached the endpoint`);
      if (e.minMs) check(ms >= e.minMs, `took ${ms} ms, expected at least ${e.minMs} ms (retry-after)`);
      if (e.requests !== undefined) check(faultedRequests.length === e.requests, `${faultedRequests.length} request(s), expected ${e.requests}`);
      check(textKept, `the question is not in the transcript (turn ${r.turnId}: ${JSON.stringify(turn?.question)})`);
      check(matches, `the next request chained from ${prev} (expected ${spec.next}: base ${base.responseId}, faulted ${r.responseId})`);
      check(next.status === 'completed', `the next turn ended ${next.status}: ${next.error?.message}`);

      rows.push({
        id: spec.id,
        fault: spec.fault,
        injected: spec.injected,
        where: 'extension host',
        status: r.status,
        errorKind: r.error?.kind,
        message: r.error?.message,
        actions: r.error?.actions ?? [],
        mode: turn?.mode,
        replayedBecause: turn?.replayedBecause,
        textKept,
        partialChars: spec.expect.partial ? r.text.length : undefined,
        partialKept,
        reasoningChars: spec.expect.reasoning ? turn?.reasoningSummary?.length ?? 0 : undefined,
        reasoningKept,
        notes: turn?.notes,
        requests: faultedRequests.length,
        ms,
        next: { expected: spec.next, previousResponseId: prev, matches, status: next.status },
        problems,
      });
      assert.deepStrictEqual(problems, [], `${spec.fault}: ${problems.join('; ')}\nresult: ${JSON.stringify(r)}`);
    } finally {
      for (const s of ctx.own) await s.close();
      await restoreSettings();
    }
  }

  /** Puts back what a row may have changed, so that one failing row cannot break the next. */
  async function restoreSettings(): Promise<void> {
    process.env.OPENAI_API_KEY = API_KEY;
    const want: Record<string, unknown> = { baseURL: fake.url, maxRetries: 0, requestTimeout: 600, chaining: 'auto', model: MODEL };
    const cfg = vscode.workspace.getConfiguration('threadline');
    for (const [key, value] of Object.entries(want)) {
      if (cfg.inspect(key)?.globalValue !== value) await setUserSetting(key, value);
    }
  }

  const row = (spec: RowSpec) => it(spec.fault, () => runRow(spec));

  row({
    id: 'auth-401', fault: '401: the key is wrong', injected: 'a revoked key (the fake answers 401 invalid_api_key)',
    arm: () => { process.env.OPENAI_API_KEY = 'sk-revoked-0000'; },
    clear: () => { process.env.OPENAI_API_KEY = API_KEY; },
    expect: { status: 'failed', kind: 'auth', actions: ['setApiKey'], message: /rejected .*\(401\).*Set API Key/ },
    next: 'base',
  });
  row({
    id: 'rate-limit-then-ok', fault: '429 twice with retry-after: 1, then success', injected: 'inject({status: 429, times: 2, headers: {retry-after: 1}}), maxRetries 2',
    arm: async (c) => {
      await setUserSetting('maxRetries', 2);
      c.server.inject({ status: 429, times: 2, headers: { 'retry-after': '1', 'retry-after-ms': null }, path: '/v1/responses' });
    },
    expect: { status: 'completed', minMs: 1900, requests: 3 },
    next: 'faulted',
  });
  row({
    id: 'rate-limit-persists', fault: '429 that persists past the retries', injected: 'inject({status: 429, times: 2}), maxRetries 1',
    arm: async (c) => {
      await setUserSetting('maxRetries', 1);
      c.server.inject({ status: 429, times: 2, path: '/v1/responses' });
    },
    expect: { status: 'failed', kind: 'rate_limit', actions: ['retry'], message: /Rate limited by http:\/\/127\.0\.0\.1:\d+\/v1 after retries\. Wait \d+ s/, requests: 2 },
    next: 'base',
  });
  row({
    id: 'quota', fault: '429 insufficient_quota', injected: 'inject({status: 429, error: {code: insufficient_quota}})',
    arm: (c) => c.server.inject({ status: 429, path: '/v1/responses', error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' } }),
    expect: { status: 'failed', kind: 'quota', actions: ['openSettings'], message: /out of quota/ },
    next: 'base',
  });
  for (const status of [500, 502, 503]) {
    row({
      id: `server-${status}`, fault: `${status} server error`, injected: `inject({status: ${status}}), maxRetries 0`,
      arm: (c) => c.server.inject({ status, path: '/v1/responses' }),
      expect: { status: 'failed', kind: 'server', actions: ['retry'], message: new RegExp(`http://127\\.0\\.0\\.1:\\d+/v1 had a server error \\(${status}\\)`) },
      next: 'base',
    });
  }
  row({
    id: 'proxy-502-html', fault: '502 with an HTML page (a proxy)', injected: 'inject({status: 502, body: "<html>…"})',
    arm: (c) => c.server.inject({ status: 502, path: '/v1/responses', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
    expect: { status: 'failed', kind: 'server', actions: ['retry'], message: /had a server error \(502\)/ },
    next: 'base',
  });
  row({
    id: 'reset-before-headers', fault: 'connection reset before the headers', injected: 'inject({resetBeforeHeaders: true}), maxRetries 0',
    arm: (c) => c.server.inject({ resetBeforeHeaders: true, path: '/v1/responses' }),
    expect: { status: 'failed', kind: 'connection', actions: ['retry'], message: /Could not connect to http:\/\/127\.0\.0\.1:\d+\/v1.*threadline\.baseURL/ },
    next: 'base',
  });
  row({
    id: 'reset-then-retried', fault: 'connection reset before the headers, retried by the SDK', injected: 'inject({resetBeforeHeaders: true}), maxRetries 2',
    arm: async (c) => {
      await setUserSetting('maxRetries', 2);
      c.server.inject({ resetBeforeHeaders: true, path: '/v1/responses' });
    },
    expect: { status: 'completed', requests: 2 },
    next: 'faulted',
  });
  row({
    id: 'connection-refused', fault: 'connection refused (nothing listening)', injected: 'user threadline.baseURL → a closed port',
    arm: async () => setUserSetting('baseURL', `http://127.0.0.1:${await closedPort()}/v1`),
    expect: { status: 'failed', kind: 'connection', actions: ['retry', 'openSettings'], message: /Could not connect to http:\/\/127\.0\.0\.1:\d+\/v1\. Check the endpoint \(threadline\.baseURL\)/ },
    next: 'base',
  });
  row({
    id: 'timeout', fault: 'timeout (no headers within threadline.requestTimeout)', injected: 'requestTimeout 1 s, inject({latencyMs: 2500})',
    arm: async (c) => {
      await setUserSetting('requestTimeout', 1);
      c.server.inject({ latencyMs: 2500, path: '/v1/responses' });
    },
    clear: () => setUserSetting('requestTimeout', 600),
    expect: { status: 'failed', kind: 'timeout', actions: ['retry'], message: /timed out\. Retry, or raise threadline\.requestTimeout/ },
    next: 'base',
  });
  row({
    id: 'drop-hard', fault: 'connection dropped after 3 deltas', injected: 'inject({dropAfterDeltas: 3}) (socket destroyed)',
    arm: (c) => c.server.inject({ dropAfterDeltas: 3 }),
    expect: { status: 'failed', kind: 'stream_cut', actions: ['retry'], message: /partial answer is kept/, partial: true },
    next: 'base',
  });
  row({
    id: 'drop-graceful', fault: 'stream ended after 3 deltas without a terminal event', injected: 'inject({dropAfterDeltas: 3, graceful: true})',
    arm: (c) => c.server.inject({ dropAfterDeltas: 3, graceful: true }),
    expect: { status: 'failed', kind: 'stream_cut', actions: ['retry'], message: /ended before the server finished it\. The partial answer is kept/, partial: true },
    next: 'base',
  });
  row({
    id: 'error-event', fault: '`error` event mid-stream', injected: 'inject({errorEventAfterDeltas: 2})',
    arm: (c) => c.server.inject({ errorEventAfterDeltas: 2 }),
    expect: { status: 'failed', kind: 'stream_failed', actions: ['retry'], message: /reported an error mid-answer: The server had an error/, partial: true },
    next: 'base',
  });
  row({
    id: 'response-failed', fault: '`response.failed` mid-stream', injected: 'inject({failAfterDeltas: 2})',
    arm: (c) => c.server.inject({ failAfterDeltas: 2 }),
    expect: { status: 'failed', kind: 'stream_failed', actions: ['retry'], message: /The model failed to answer: The server had an error/, partial: true },
    next: 'base',
  });
  row({
    id: 'incomplete', fault: '`incomplete`: max_output_tokens reached', injected: 'fake option maxOutputTokens: 8 (the model limit), a long answer',
    arm: (c) => {
      c.server.options.maxOutputTokens = 8;
      c.server.script({ text: LONG_ANSWER });
    },
    clear: (c) => { c.server.options.maxOutputTokens = undefined; },
    expect: { status: 'incomplete', kind: 'incomplete', actions: ['retry'], message: /stopped early because it reached the output token limit/, partial: true },
    next: 'base',
  });
  row({
    id: 'context-400', fault: '`context_length_exceeded` (400)', injected: 'fake option contextWindow: 60 tokens, a 600-character question',
    question: `context_length_exceeded: the question must survive this ${'x'.repeat(600)}`,
    arm: (c) => { c.server.options.contextWindow = 60; },
    clear: (c) => { c.server.options.contextWindow = undefined; },
    expect: { status: 'failed', kind: 'context_too_long', actions: ['compact', 'newChat'], message: /longer than the model accepts\. Compact it and continue, start a new chat, or send a shorter selection/ },
    next: 'base',
  });
  row({
    id: 'context-in-stream', fault: '`context_length_exceeded` as an `error` event', injected: 'inject({errorEventAfterDeltas: 0, error: {code: context_length_exceeded}})',
    arm: (c) => c.server.inject({ errorEventAfterDeltas: 0, error: { code: 'context_length_exceeded' } }),
    expect: { status: 'failed', kind: 'context_too_long', actions: ['compact', 'newChat'], message: /Compact it and continue, start a new chat/ },
    next: 'base',
  });
  row({
    id: 'unknown-model', fault: 'unknown model (404 model_not_found)', injected: 'fake option unknownModels: [the model]',
    arm: (c) => { c.server.options.unknownModels = [MODEL]; },
    clear: (c) => { c.server.options.unknownModels = []; },
    expect: { status: 'failed', kind: 'unknown_model', actions: ['selectModel', 'retry'], message: new RegExp(`"${MODEL}" is not available at http://127\\.0\\.0\\.1:\\d+/v1\\. Choose another model with "Select Model"`) },
    next: 'base',
  });
  row({
    id: 'not-found-400', fault: '`previous_response_not_found` (400, OpenAI)', injected: 'fake.forget() (the stored responses expire)',
    arm: (c) => c.server.forget(),
    expect: { status: 'completed', mode: 'replayed', requests: 2 },
    next: 'faulted',
  });
  row({
    id: 'not-found-404', fault: 'previous response not found (404, vLLM)', injected: 'fake option notFoundStatus: 404, fake.forget()',
    arm: (c) => {
      c.server.options.notFoundStatus = 404;
      c.server.forget();
    },
    expect: { status: 'completed', mode: 'replayed', requests: 2 },
    next: 'faulted',
  });
  row({
    id: 'not-found-server-mode', fault: 'previous response not found, with threadline.chaining "server"', injected: 'chaining: server, fake.forget()',
    arm: async (c) => {
      await setUserSetting('chaining', 'server');
      c.server.forget();
    },
    clear: () => setUserSetting('chaining', 'auto'),
    expect: { status: 'failed', kind: 'previous_response_not_found', actions: ['newChat', 'openSettings'], message: /chaining is "server", so the transcript was not replayed/ },
    // Back in auto mode, the next turn chains from the base turn (forgotten too), and recovers by replay.
    next: 'base',
  });
  row({
    id: 'chaining-rejected', fault: 'a server that rejects previous_response_id', injected: 'a second fake with chaining: "reject" (llama.cpp style 400)',
    prepare: async (c) => {
      c.server = await startFakeServer({ apiKey: API_KEY, chaining: 'reject' });
      c.own.push(c.server);
    },
    expect: { status: 'completed', mode: 'local', requests: 2 },
    next: 'replay',
  });
  row({
    id: 'chaining-ignored', fault: 'a server that silently ignores previous_response_id', injected: 'a second fake with chaining: "ignore" (echoes null)',
    prepare: async (c) => {
      c.server = await startFakeServer({ apiKey: API_KEY, chaining: 'ignore' });
      c.own.push(c.server);
    },
    expect: { status: 'completed', mode: 'local', requests: 2 },
    next: 'replay',
  });
  row({
    id: 'sse-bad-json', fault: 'malformed SSE: a `data:` line that is not JSON', injected: "inject({malformed: 'badJson'})",
    arm: (c) => c.server.inject({ malformed: 'badJson' }),
    expect: { status: 'failed', kind: 'stream_failed', actions: ['retry'], message: /malformed stream/ },
    next: 'base',
  });
  row({
    id: 'sse-no-event-lines', fault: 'malformed SSE: no `event:` lines', injected: "inject({malformed: 'noEventLines'})",
    arm: (c) => c.server.inject({ malformed: 'noEventLines' }),
    expect: { status: 'completed' },
    next: 'faulted',
  });
  row({
    id: 'settings-bad-url', fault: 'settings: threadline.baseURL is not a URL', injected: 'user baseURL "localhost:8080/v1"',
    arm: () => setUserSetting('baseURL', 'localhost:8080/v1'),
    expect: { status: 'failed', kind: 'invalid_settings', actions: ['openSettings'], message: /threadline\.baseURL "localhost:8080\/v1" must start with https:\/\/ or http:\/\/, for example http:\/\/localhost:8080\/v1/, noRequest: true },
    next: 'base',
  });
  row({
    id: 'settings-credentials', fault: 'settings: threadline.baseURL with a user name and password', injected: 'user baseURL "http://user:secret@127.0.0.1:…/v1"',
    arm: () => setUserSetting('baseURL', fake.url.replace('http://', 'http://user:secret@')),
    expect: { status: 'failed', kind: 'invalid_settings', actions: ['openSettings'], message: /must not contain a user name or password/, noRequest: true },
    next: 'base',
  });
  row({
    id: 'settings-empty-model', fault: 'settings: threadline.model is empty', injected: 'user model ""',
    arm: () => setUserSetting('model', ''),
    clear: () => setUserSetting('model', MODEL),
    expect: { status: 'failed', kind: 'invalid_settings', actions: ['openSettings'], message: /threadline\.model is empty/, noRequest: true },
    next: 'base',
  });
  row({
    id: 'param-rejected', fault: 'a server that refuses a newer parameter (`prompt_cache_key`)', injected: 'fake option rejectParameters: [prompt_cache_key], model gpt-5-mini',
    prepare: () => setUserSetting('model', 'gpt-5-mini'),
    arm: (c) => { c.server.options.rejectParameters = ['prompt_cache_key']; },
    clear: (c) => { c.server.options.rejectParameters = undefined; },
    expect: { status: 'completed', requests: 2, note: /refused `prompt_cache_key`/ },
    next: 'faulted',
  });
  row({
    id: 'reasoning-item-refused', fault: 'a replayed reasoning item the server refuses (`invalid_encrypted_content`)',
    injected: 'model gpt-5-mini; another fake (another key) takes over: the chain is gone and the sealed items do not verify',
    prepare: () => setUserSetting('model', 'gpt-5-mini'),
    arm: async (c) => {
      c.server = await startFakeServer({ apiKey: API_KEY });
      c.own.push(c.server);
      await setUserSetting('baseURL', c.server.url);
    },
    expect: { status: 'completed', mode: 'replayed', requests: 3, note: /refused the replayed reasoning items/ },
    next: 'faulted',
  });
  row({
    id: 'stop-while-reasoning', fault: 'Stop while the model reasons', injected: 'a scripted summary at one delta per 40 ms, threadline.stop after 5 deltas',
    prepare: () => setUserSetting('model', 'gpt-5-mini'),
    arm: (c) => {
      c.server.options.interDeltaDelayMs = 40;
      c.server.script({ reasoningSummary: reasoningScript, text: 'The answer, which never comes.' });
      const streams = c.server.streams.length;
      void waitFor('the model to reason', () => (c.server.streams[streams]?.deltas ?? 0) >= 5, 20_000)
        .then(() => vscode.commands.executeCommand('threadline.stop'));
    },
    clear: (c) => { c.server.options.interDeltaDelayMs = 0; },
    expect: { status: 'cancelled', kind: 'aborted', reasoning: true },
    next: 'base',
  });
});
