// A stateful fake of the OpenAI Responses API on node:http, for tests, benchmarks and `npm start`.
//
// It follows the contract in responses-api.md section 8: the same routes, error bodies, ids, chaining through
// `previous_response_id`, usage shape and SSE event order as OpenAI, with deterministic answers so that tests
// can assert what context the "model" saw, and fault knobs for the failures a real endpoint produces.
// Its replies and stream events validate against the official OpenAPI schema (see schema.ts).
// It also models what reasoning clients meet: a model table (fakeModels.ts) with reasoning items, summary
// events and effort checks; `encrypted_content` it can verify on replay (fakeSeal.ts); `prompt_cache_key`;
// `context_management` compaction; `GET /v1/models`; and servers that refuse the newer parameters.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { assistantAnswer, reasoningSummaryParts } from './fakeAnswers';
import { FAKE_MODELS, fakeModel, isKnownModel, modelObject, type FakeModel, type ReasoningEffort } from './fakeModels';
import { quoteBlob, Sealer } from './fakeSeal';

/** The key the fake requires when no `apiKey` option is given. */
export const DEFAULT_API_KEY = 'sk-threadline-fake-key-0000';

export interface FakeServerOptions {
  /** The bearer token to require; `null` = no auth (like most local servers). Default `DEFAULT_API_KEY`. */
  apiKey?: string | null;
  /** Answer a last user text matching /what did I say first/i with the first user text of the context. */
  recall?: boolean;
  /** Characters (code points) per streamed delta. Default 4, about one token. */
  chunkSize?: number;
  /** Delay before each streamed delta, so that tests can act mid-stream. Default 0. */
  interDeltaDelayMs?: number;
  /** Models that get 404 `model_not_found`. */
  unknownModels?: string[];
  /** Every model outside the model table gets 404 `model_not_found`, as on OpenAI. Default: any name is served. */
  strictModels?: boolean;
  /** Models that reason without summaries, besides the table's `o3-mini`. */
  noSummaryModels?: string[];
  /**
   * Context window in (estimated) tokens, for every model; `'model'`: each model's window from the table.
   * Bigger inputs get 400 `context_length_exceeded`, or are compacted with `context_management`. Default: none.
   */
  contextWindow?: number | 'model';
  /** `echo` (default): `echo#n: <last user text>`, for assertions; `assistant`: a Markdown answer (`npm start`). */
  answerMode?: 'echo' | 'assistant';
  /** Request parameters this server refuses with a 400 naming them, as LM Studio, vLLM or llama.cpp may. */
  rejectParameters?: RejectableParameter[];
  /** How `GET /v1/models` answers: the list (default), a 401, a 404 (no such route), or never (`hang`). */
  modelsEndpoint?: 'list' | 401 | 404 | 'hang';
  /** Stored responses older than this behave as missing (expired retention). Default: kept forever. */
  ttlMs?: number;
  /** Whether a response whose stream was cut (client abort, dropped socket) is stored as completed anyway. */
  storeOnDisconnect?: boolean;
  /**
   * `supported` (OpenAI); `reject`: any `previous_response_id` gets 400 `unsupported_parameter` (llama.cpp,
   * Ollama style); `ignore`: accepted but unused and echoed as null, and nothing is stored (mlx-vlm, vLLM
   * without its store).
   */
  chaining?: 'supported' | 'reject' | 'ignore';
  /** 400 = OpenAI's `previous_response_not_found`; 404 = vLLM's `Response with id '…' not found.` */
  notFoundStatus?: 400 | 404;
  /**
   * The model's own output limit in tokens, for requests that set no `max_output_tokens` (every model has
   * one; local servers such as vLLM and llama.cpp apply a default). An answer that hits it ends
   * `incomplete` with `reason: 'max_output_tokens'`, as when the request's own limit is hit.
   */
  maxOutputTokens?: number;
}

export interface RecordedRequest {
  method: string;
  /** The request target as sent, with its query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
  body: any;
  at: number;
}

/** The newer request parameters that servers other than OpenAI may refuse. */
export type RejectableParameter = 'reasoning' | 'include' | 'prompt_cache_key' | 'context_management';

/** The `error` object of every 4xx/5xx body, and of `error` events. */
export interface ApiErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

/**
 * A fault applies to the next `times` matching API requests (control routes never match), first injected
 * first. Pre-header knobs apply to any route; the stream knobs only to streaming requests.
 */
export interface Fault {
  /** How many matching requests it applies to. Default 1; `Infinity` until reset (not over HTTP). */
  times?: number;
  /** Match only requests whose JSON body has this `model`. */
  model?: string;
  /** Match only this path (without query), e.g. `/v1/responses`. */
  path?: string;
  /** Match only this method. */
  method?: string;

  /** Wait this long before the response headers (exercises the SDK `timeout`). */
  latencyMs?: number;
  /** Reply with this status and an OpenAI error body (defaults per status: 401, 429, 5xx). */
  status?: number;
  /** Fields that override the default error of `status`, `errorEventAfterDeltas` or `failAfterDeltas`. */
  error?: Partial<ApiErrorBody>;
  /** A raw body instead of the JSON error, e.g. a proxy's HTML 502 page (strings go as text/html). */
  body?: string | object;
  /** Extra headers for a `status` reply; `null` removes a default one (such as `retry-after-ms` on 429). */
  headers?: Record<string, string | null>;
  /** Sends `x-should-retry: true|false`, which overrides the SDK's own retry decision. */
  shouldRetry?: boolean;
  /** Destroy the socket before any response header is written (the SDK retries this). */
  resetBeforeHeaders?: boolean;

  /** Cut the stream once this many deltas were flushed: socket destroy, or `res.end()` when `graceful`. */
  dropAfterDeltas?: number;
  graceful?: boolean;
  /** After this many deltas send `event: error` and end the body. */
  errorEventAfterDeltas?: number;
  /** After this many deltas send `response.failed` (default code `server_error`) and end the body. */
  failAfterDeltas?: number;
  /** `badJson`: the first delta's `data:` is not JSON. `noEventLines`: every `event:` line is left out. */
  malformed?: 'badJson' | 'noEventLines';
  /** Delay before each delta of this stream, instead of `interDeltaDelayMs`. */
  slowDeltaMs?: number;
}

/** One entry of the per-test script queue; its items come out in this order: reasoning, message, call. */
export interface ScriptedAnswer {
  text?: string;
  reasoningSummary?: string;
  functionCall?: { name: string; arguments: string };
}

export type StreamOutcome =
  | 'streaming'
  | 'completed'
  | 'incomplete'
  | 'failed'
  | 'error_event'
  | 'dropped' // socket destroyed by a fault
  | 'ended' // graceful drop: the body ended without a terminal event
  | 'client_closed'; // the client went away (abort) before the end

/** What the server did for one streamed response. */
export interface StreamLog {
  responseId: string;
  /** The full text of the answer's message, as the completed response would hold it. */
  text: string;
  /** The text of the `output_text` deltas actually written. */
  sentText: string;
  deltas: number;
  outcome: StreamOutcome;
}

export interface FakeServer {
  /** Base URL including `/v1`, for the SDK's `baseURL`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  streams: StreamLog[];
  /** Live options: changes apply to the next request. */
  options: FakeServerOptions;
  inject(fault: Fault): void;
  script(...answers: ScriptedAnswer[]): void;
  /** Drops every stored response, as if retention expired. */
  forget(): void;
  /** Clears the store, faults, script, requests and stream logs, and restores the start options. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 (port 0 = any free port). */
export async function startFakeServer(opts: FakeServerOptions & { port?: number } = {}): Promise<FakeServer> {
  const { port = 0, ...options } = opts;
  const fake = new FakeResponsesServer(options);
  await fake.listen(port);
  return fake;
}

type Json = Record<string, any>;

interface Stored {
  response: Json;
  /** The items the response was generated from (the whole chain), in order. */
  context: Json[];
  storedAt: number;
  /** Completes a queued background response. */
  timer?: NodeJS.Timeout;
}

interface Call {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  fault?: Fault;
}

interface Turn {
  response: Json;
  context: Json[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiErrorBody,
  ) {
    super(error.message);
  }
}

const TERMINAL_EVENT: Record<string, string> = {
  completed: 'response.completed',
  incomplete: 'response.incomplete',
  failed: 'response.failed',
};

const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';
const CONTEXT_EXCEEDED_MESSAGE =
  'Your input exceeds the context window of this model. Please adjust your input and try again.';

class FakeResponsesServer implements FakeServer {
  url = '';
  port = 0;
  readonly requests: RecordedRequest[] = [];
  readonly streams: StreamLog[] = [];
  readonly options: FakeServerOptions;
  private readonly initialOptions: FakeServerOptions;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly store = new Map<string, Stored>();
  private faults: Array<Fault & { remaining: number }> = [];
  private answers: ScriptedAnswer[] = [];
  private readonly sealer = new Sealer();
  /** Every generated reasoning item's id -> the id of the item after it, and back: a replay must keep the pair. */
  private readonly followerOf = new Map<string, string>();
  private readonly reasoningOf = new Map<string, string>();
  /** Output item ids of stored responses: a replay may name these without their encrypted content. */
  private readonly persistedItems = new Set<string>();
  /** `prompt_cache_key` -> the item signatures of the last prompt sent with it. */
  private readonly promptCache = new Map<string, string[]>();

  constructor(options: FakeServerOptions) {
    this.initialOptions = { ...options, apiKey: options.apiKey === undefined ? DEFAULT_API_KEY : options.apiKey };
    this.options = { ...this.initialOptions };
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        this.url = `http://127.0.0.1:${this.port}/v1`;
        resolve();
      });
    });
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  script(...answers: ScriptedAnswer[]): void {
    this.answers.push(...answers);
  }

  forget(): void {
    for (const entry of this.store.values()) clearTimeout(entry.timer);
    this.store.clear();
    this.persistedItems.clear();
  }

  reset(): void {
    this.forget();
    this.faults = [];
    this.answers = [];
    this.followerOf.clear();
    this.reasoningOf.clear();
    this.promptCache.clear();
    this.requests.length = 0;
    this.streams.length = 0;
    for (const key of Object.keys(this.options)) delete (this.options as Json)[key];
    Object.assign(this.options, this.initialOptions);
  }

  close(): Promise<void> {
    this.forget();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- request pipeline: control routes, record, faults, auth, route ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const call = await readCall(req, res);
      if (call.path.startsWith('/__')) return this.control(call);
      const { method, body } = call;
      this.requests.push({ method, path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      call.fault = this.takeFault(call);
      if (call.fault?.latencyMs) await sleep(call.fault.latencyMs);
      // A client that gave up (SDK timeout) must not have its request run later, into another test's script.
      if (req.socket.destroyed) return;
      if (call.fault?.resetBeforeHeaders) return void req.socket.destroy();
      if (call.fault?.status) return sendFaultStatus(call, call.fault);
      this.authorize(req);
      await this.route(call);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err.status, err.error);
      console.error('fake Responses server: unexpected error', err);
      sendError(res, 500, { message: SERVER_ERROR_MESSAGE, type: 'server_error', param: null, code: null });
    }
  }

  /** Test API for other processes (the VS Code extension host): no auth, never recorded. */
  private control(call: Call): void {
    const { method, path, body, res } = call;
    const ok = () => sendJson(res, 200, { ok: true });
    const list = [body ?? []].flat();
    if (method === 'POST' && path === '/__fault') return (list.forEach((fault) => this.inject(fault)), ok());
    if (method === 'POST' && path === '/__script') return (this.script(...list), ok());
    if (method === 'POST' && path === '/__options') return (Object.assign(this.options, body), ok());
    if (method === 'POST' && path === '/__reset') return (this.reset(), ok());
    if (method === 'POST' && path === '/__forget') return (this.forget(), ok());
    if (method === 'GET' && path === '/__requests') return sendJson(res, 200, this.requests);
    if (method === 'GET' && path === '/__streams') return sendJson(res, 200, this.streams);
    sendError(res, 404, invalidUrl(method, path));
  }

  private takeFault(call: Call): Fault | undefined {
    const streaming = call.body?.stream === true || call.query.get('stream') === 'true';
    const index = this.faults.findIndex((f) => faultMatches(f, call, streaming));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (--fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private authorize(req: http.IncomingMessage): void {
    const key = this.options.apiKey;
    if (key === null || key === undefined) return;
    const sent = bearerToken(req);
    if (sent === undefined) throw new HttpError(401, missingApiKey());
    if (sent !== key) throw new HttpError(401, invalidApiKey(sent));
  }

  private async route(call: Call): Promise<void> {
    const { method, path } = call;
    if (method === 'POST' && path === '/v1/responses') return this.create(call);
    if (method === 'POST' && path === '/v1/responses/input_tokens') return this.countInputTokens(call);
    if (method === 'POST' && path === '/v1/responses/compact') return this.compact(call);
    const model = /^\/v1\/models(?:\/([^/]+))?$/.exec(path);
    if (model && method === 'GET') return this.models(call, model[1] && decodeURIComponent(model[1]));
    const [, id, sub] = /^\/v1\/responses\/([^/]+)(?:\/(input_items|cancel))?$/.exec(path) ?? [];
    if (id && !sub && method === 'GET') return this.retrieve(call, id);
    if (id && !sub && method === 'DELETE') return this.remove(call, id);
    if (id && sub === 'input_items' && method === 'GET') return this.listInputItems(call, id);
    if (id && sub === 'cancel' && method === 'POST') return this.cancel(call, id);
    throw new HttpError(404, invalidUrl(method, path));
  }

  // ---- POST /v1/responses ----

  private async create(call: Call): Promise<void> {
    const body = jsonObject(call.body);
    const previous = this.validateCreate(body);
    const turn = this.generate(body, previous);
    if (body.stream === true) return this.stream(call, body, turn);
    if (body.background === true) return sendJson(call.res, 200, this.enqueueBackground(body, turn));
    this.save(body, turn);
    sendJson(call.res, 200, turn.response);
  }

  /** The request checks of section 8; returns the stored previous response when chaining. */
  private validateCreate(body: Json): Stored | undefined {
    if (typeof body.model !== 'string' || body.model === '') throw missingParameter('model');
    const chained = body.previous_response_id != null;
    if (body.input === undefined && !chained && body.conversation == null) throw missingParameter('input');
    if (body.input !== undefined && typeof body.input !== 'string' && !Array.isArray(body.input)) {
      const message = "Invalid type for 'input': expected a string or an array of input items.";
      throw invalidRequest(message, 'input', 'invalid_type');
    }
    if (chained && body.conversation != null) throw mutuallyExclusive();
    if (body.conversation != null) {
      throw invalidRequest('The fake server does not implement conversations.', 'conversation', 'unsupported_parameter');
    }
    if (typeof body.max_output_tokens === 'number' && body.max_output_tokens < 16) {
      throw integerOutOfRange('max_output_tokens', 'below minimum', '>=', 16, body.max_output_tokens);
    }
    this.rejectRefusedParameters(body);
    if (this.isUnknownModel(body.model)) throw new HttpError(404, modelNotFound(body.model));
    validateReasoning(body.reasoning, this.model(body.model));
    validateContextManagement(body.context_management);
    return this.previousFor(body);
  }

  private rejectRefusedParameters(body: Json): void {
    const refused = this.options.rejectParameters?.find((param) => body[param] != null);
    if (refused) throw unsupportedParameter(refused);
  }

  private isUnknownModel(id: string): boolean {
    return (this.options.unknownModels?.includes(id) ?? false) || (this.options.strictModels === true && !isKnownModel(id));
  }

  private model(id: string): FakeModel {
    return fakeModel(id, this.options.noSummaryModels);
  }

  /** Resolves `previous_response_id` according to the `chaining` and `notFoundStatus` options. */
  private previousFor(body: Json): Stored | undefined {
    const id = body.previous_response_id;
    if (id == null || this.options.chaining === 'ignore') return undefined;
    if (this.options.chaining === 'reject') throw unsupportedParameter('previous_response_id');
    const stored = this.lookup(String(id));
    if (stored) return stored;
    if (this.options.notFoundStatus === 404) throw new HttpError(404, vllmResponseNotFound(String(id)));
    const message = `Previous response with id '${id}' not found.`;
    throw invalidRequest(message, 'previous_response_id', 'previous_response_not_found');
  }

  /** A stored, undeleted and unexpired response. */
  private lookup(id: string): Stored | undefined {
    const stored = this.store.get(id);
    const ttl = this.options.ttlMs;
    if (stored && ttl !== undefined && Date.now() - stored.storedAt > ttl) return undefined;
    return stored;
  }

  /** Builds the context through the chain, checks the window, and produces the final response. */
  private generate(body: Json, previous: Stored | undefined): Turn {
    const model = this.model(body.model);
    if (Array.isArray(body.input)) this.checkReplay(body.input as Json[], model);
    const { context, compaction } = this.fitContext(contextFor(previous, normalizeInput(body.input)), body, model);
    const inputTokens = estimateInputTokens(body.instructions, context);
    const userTexts = this.userTexts(context);
    const answer = this.answers.shift() ?? this.defaultAnswer(userTexts);
    const reasoning = planReasoning(body, model, answer, userTexts.at(-1) ?? '');
    const built = buildOutput(answer, reasoning, body.max_output_tokens ?? this.options.maxOutputTokens);
    const output = compaction ? [compaction, ...built.output] : built.output;
    this.finishReasoning(output, body, model);
    const outputTokens = tokens(built.outputChars);
    const now = unixNow();
    // What a chained turn re-reads from the prompt cache: the previous turn's whole input.
    const chainCached = Math.min(previous?.response.usage?.input_tokens ?? 0, inputTokens);
    const response: Json = {
      ...responseShell(body, this.options.chaining === 'ignore' ? null : (body.previous_response_id ?? null)),
      reasoning: echoedReasoning(body, model),
      status: built.incomplete ? 'incomplete' : 'completed',
      completed_at: built.incomplete ? null : now,
      incomplete_details: built.incomplete ? { reason: 'max_output_tokens' } : null,
      output,
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: {
          cached_tokens: Math.max(chainCached, this.promptCacheHit(body, context)),
          cache_write_tokens: 0,
        },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: tokens(built.reasoningChars) },
        total_tokens: inputTokens + outputTokens,
      },
    };
    return { response, context };
  }

  /**
   * The API's checks on replayed items: encrypted content must open here, for this model family; a reasoning
   * item needs the item that followed it next, and an item that followed reasoning needs it just before.
   */
  private checkReplay(input: Json[], model: FakeModel): void {
    input.forEach((item, i) => {
      if (item.type === 'reasoning' || item.type === 'compaction') this.verifySealed(item, model);
      if (item.type === 'reasoning') {
        const next = input[i + 1];
        const expected = this.followerOf.get(item.id);
        const isUserTurn = next !== undefined && (next.type ?? 'message') === 'message' && next.role !== 'assistant';
        const follows = next !== undefined && !isUserTurn && (expected === undefined || next.id == null || next.id === expected);
        if (!follows) throw reasoningWithoutFollower(item.id);
      }
      const reasoningId = item.id == null ? undefined : this.reasoningOf.get(item.id);
      const before = input[i - 1];
      if (reasoningId !== undefined && (before?.type !== 'reasoning' || before.id !== reasoningId)) {
        throw followerWithoutReasoning(item.id, item.type ?? 'message');
      }
    });
  }

  /** Encrypted content must be this server's, for this item and (reasoning) this model family. */
  private verifySealed(item: Json, model: FakeModel): void {
    if (item.encrypted_content == null) {
      if (item.type === 'reasoning' && !this.persistedItems.has(item.id)) throw itemNotPersisted(item.id);
      return;
    }
    const payload = this.sealer.open(item.encrypted_content);
    const sameItem = item.id == null || payload?.itemId === item.id;
    const sameFamily = item.type === 'compaction' || payload?.family === model.family;
    if (!payload || !sameItem || !sameFamily) throw encryptedContentNotVerified(item.encrypted_content);
  }

  /** The user texts the model sees, a compaction item standing for the ones it summarized. */
  private userTexts(context: Json[]): string[] {
    return context.flatMap((item) => {
      if (item.type === 'compaction') return this.sealer.open(item.encrypted_content)?.texts ?? [];
      return item.type === 'message' && item.role === 'user' ? [messageText(item)] : [];
    });
  }

  /** Seals reasoning items when `include` asks for it, and remembers which item each one came before. */
  private finishReasoning(output: Json[], body: Json, model: FakeModel): void {
    const sealed = Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content');
    output.forEach((item, i) => {
      if (item.type !== 'reasoning') return;
      const next = output[i + 1];
      if (next) {
        this.followerOf.set(item.id, next.id);
        this.reasoningOf.set(next.id, item.id);
      }
      if (sealed) {
        const texts = (item.summary as Json[]).map((part) => String(part.text));
        item.encrypted_content = this.sealer.seal({ itemId: item.id, family: model.family, texts });
      }
    });
  }

  /** Tokens of the longest prefix this prompt shares with the last one sent under the same `prompt_cache_key`. */
  private promptCacheHit(body: Json, context: Json[]): number {
    const key = body.prompt_cache_key;
    if (typeof key !== 'string') return 0;
    const signature = [JSON.stringify(body.instructions ?? null), ...context.map(itemSignature)];
    const last = this.promptCache.get(key) ?? [];
    this.promptCache.set(key, signature);
    let shared = 0;
    while (shared < signature.length && signature[shared] === last[shared]) shared++;
    return shared === 0 ? 0 : estimateInputTokens(body.instructions, context.slice(0, shared - 1));
  }

  /**
   * Over the compaction threshold of `context_management`: the context becomes one compaction item. Then, over
   * the window: 400, or with `truncation: 'auto'` drop the oldest items until it fits.
   */
  private fitContext(context: Json[], body: Json, model: FakeModel): { context: Json[]; compaction?: Json } {
    const limit = this.options.contextWindow;
    const window = limit === 'model' ? model.contextWindow : limit;
    const size = (items: Json[]) => estimateInputTokens(body.instructions, items);
    const threshold = compactThreshold(body.context_management, window);
    let compaction: Json | undefined;
    if (threshold !== undefined && size(context) > threshold) {
      compaction = this.compactionItem(model, this.userTexts(context));
      context = [compaction];
    }
    const fits = (items: Json[]) => window === undefined || size(items) <= window;
    if (body.truncation === 'auto') {
      while (context.length > 1 && !fits(context)) context = context.slice(1);
    }
    if (!fits(context)) {
      throw invalidRequest(CONTEXT_EXCEEDED_MESSAGE, 'input', 'context_length_exceeded');
    }
    return { context, compaction };
  }

  /** A compaction item that stands for `texts` (the user texts it summarizes) when it comes back. */
  private compactionItem(model: FakeModel, texts: string[]): Json {
    const id = newId('cmp_');
    return { type: 'compaction', id, encrypted_content: this.sealer.seal({ itemId: id, family: model.family, texts }) };
  }

  /**
   * `echo#<user messages in context>: <last user text>`, a Markdown answer in `assistant` mode, or the first
   * user text in recall mode.
   */
  private defaultAnswer(userTexts: string[]): ScriptedAnswer {
    const last = userTexts.at(-1) ?? '';
    if (this.options.recall && /what did I say first/i.test(last)) return { text: userTexts[0] };
    if (this.options.answerMode === 'assistant') return { text: assistantAnswer(last, userTexts.length) };
    return { text: `echo#${userTexts.length}: ${last}` };
  }

  private save(body: Json, turn: Turn): Stored | undefined {
    if (body.store === false || this.options.chaining === 'ignore') return undefined;
    const stored: Stored = { response: turn.response, context: turn.context, storedAt: Date.now() };
    this.store.set(turn.response.id, stored);
    for (const item of turn.response.output as Json[]) this.persistedItems.add(item.id);
    return stored;
  }

  /** `background: true`: reply `queued` now, complete after about as long as streaming would take. */
  private enqueueBackground(body: Json, turn: Turn): Json {
    const queued = { ...turn.response, ...inProgressFields(), status: 'queued' };
    const stored = this.save(body, { ...turn, response: queued });
    const duration = (this.options.interDeltaDelayMs ?? 0) * countDeltas(turn.response, this.chunkSize());
    if (stored) stored.timer = setTimeout(() => (stored.response = turn.response), duration);
    return queued;
  }

  private chunkSize(): number {
    return Math.max(1, this.options.chunkSize ?? 4);
  }

  // ---- SSE ----

  private async stream(call: Call, body: Json, turn: Turn): Promise<void> {
    const log = this.logStream(turn.response);
    const obfuscate = body.stream_options?.include_obfuscation !== false;
    const events = responseEvents(turn.response, this.chunkSize(), obfuscate);
    const { outcome, terminal } = await this.writeEvents(call, turn.response, events, log);
    log.outcome = outcome;
    // Whether OpenAI keeps a response whose client went away mid-stream is unverified, hence the knob.
    const keepCut = this.options.storeOnDisconnect && outcome !== 'error_event';
    const saved = terminal ?? (keepCut ? turn.response : undefined);
    if (saved) this.save(body, { ...turn, response: saved });
  }

  private logStream(response: Json): StreamLog {
    const log: StreamLog = { responseId: response.id, text: outputText(response), sentText: '', deltas: 0, outcome: 'streaming' };
    this.streams.push(log);
    return log;
  }

  /** Writes the events, applying the call's stream fault; returns how it ended and the terminal response. */
  private async writeEvents(
    call: Call,
    final: Json,
    events: Json[],
    log: StreamLog,
    firstSequence = 0,
  ): Promise<{ outcome: StreamOutcome; terminal?: Json }> {
    const { res, fault } = call;
    const sse = new SseWriter(res, fault?.malformed, firstSequence);
    const breakAt = fault?.dropAfterDeltas ?? fault?.errorEventAfterDeltas ?? fault?.failAfterDeltas;
    const delay = fault?.slowDeltaMs ?? this.options.interDeltaDelayMs ?? 0;
    const doneItems: Json[] = [];
    for (const event of events) {
      const isDelta = event.type.endsWith('.delta');
      const terminalStatus = /^response\.(completed|incomplete|failed)$/.exec(event.type)?.[1];
      if (breakAt !== undefined && ((isDelta && log.deltas >= breakAt) || terminalStatus)) {
        return this.breakStream(sse, fault!, final, doneItems);
      }
      if (isDelta && delay > 0) await sleep(delay);
      if (sse.clientGone) return { outcome: 'client_closed' };
      await sse.send(event, isDelta);
      if (isDelta) log.deltas++;
      if (event.type === 'response.output_text.delta') log.sentText += event.delta;
      if (event.type === 'response.output_item.done') doneItems.push(event.item);
      if (terminalStatus) {
        res.end();
        return { outcome: terminalStatus as StreamOutcome, terminal: event.response };
      }
    }
    // Only a replay of a response without a terminal status (queued, cancelled) gets here.
    res.end();
    return { outcome: 'ended' };
  }

  private async breakStream(
    sse: SseWriter,
    fault: Fault,
    final: Json,
    doneItems: Json[],
  ): Promise<{ outcome: StreamOutcome; terminal?: Json }> {
    if (fault.dropAfterDeltas !== undefined) {
      // The writes before were flushed (each send awaits its callback), so this cuts the body mid-stream
      // rather than looking like a reset before the headers.
      if (fault.graceful) sse.res.end();
      else sse.res.socket?.destroy();
      return { outcome: fault.graceful ? 'ended' : 'dropped' };
    }
    const code = fault.error?.code ?? 'server_error';
    const message = code === 'context_length_exceeded' ? CONTEXT_EXCEEDED_MESSAGE : SERVER_ERROR_MESSAGE;
    const error = { message, ...fault.error, code };
    if (fault.errorEventAfterDeltas !== undefined) {
      await sse.send({ type: 'error', code: error.code, message: error.message, param: error.param ?? null }, false);
      sse.res.end();
      return { outcome: 'error_event' };
    }
    const failed = {
      ...final,
      status: 'failed',
      completed_at: null,
      incomplete_details: null,
      error: { code: error.code, message: error.message },
      output: doneItems,
      usage: null,
    };
    await sse.send({ type: 'response.failed', response: failed }, false);
    sse.res.end();
    return { outcome: 'failed', terminal: failed };
  }

  // ---- other endpoints ----

  private async retrieve(call: Call, id: string): Promise<void> {
    const stored = this.lookup(id);
    if (!stored) throw new HttpError(404, responseNotFound(id));
    if (call.query.get('stream') !== 'true') return sendJson(call.res, 200, stored.response);
    // Replays the recorded stream of the response after `starting_after` (a sequence number).
    const after = Number(call.query.get('starting_after') ?? -1);
    const events = responseEvents(stored.response, this.chunkSize(), false).filter((_, seq) => seq > after);
    const log = this.logStream(stored.response);
    log.outcome = (await this.writeEvents(call, stored.response, events, log, after + 1)).outcome;
  }

  private remove(call: Call, id: string): void {
    const stored = this.lookup(id);
    if (!stored) throw new HttpError(404, responseNotFound(id));
    clearTimeout(stored.timer);
    this.store.delete(id);
    sendJson(call.res, 200, { id, object: 'response', deleted: true });
  }

  /** The items the response was generated from, newest first by default, paged with `after` (an item id). */
  private listInputItems(call: Call, id: string): void {
    const stored = this.lookup(id);
    if (!stored) throw new HttpError(404, responseNotFound(id));
    const limit = Number(call.query.get('limit') ?? 20);
    if (limit < 1) throw integerOutOfRange('limit', 'below minimum', '>=', 1, limit);
    if (limit > 100) throw integerOutOfRange('limit', 'above maximum', '<=', 100, limit);
    const order = call.query.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') {
      const message = `Invalid value: '${order}'. Supported values are: 'asc' and 'desc'.`;
      throw invalidRequest(message, 'order', 'invalid_value');
    }
    const items = order === 'asc' ? stored.context : [...stored.context].reverse();
    const after = call.query.get('after');
    const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1 || items.length;
    const data = items.slice(start, start + limit);
    sendJson(call.res, 200, {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + limit < items.length,
    });
  }

  private cancel(call: Call, id: string): void {
    const stored = this.lookup(id);
    if (!stored) throw new HttpError(404, responseNotFound(id));
    if (!stored.response.background) {
      throw invalidRequest('Only responses created with background=true can be cancelled.', null, null);
    }
    if (stored.response.status === 'queued' || stored.response.status === 'in_progress') {
      clearTimeout(stored.timer);
      stored.response = { ...stored.response, status: 'cancelled' };
    }
    sendJson(call.res, 200, stored.response);
  }

  /** `GET /v1/models[/id]`, or the failure the `modelsEndpoint` knob asks for. */
  private async models(call: Call, id: string | undefined): Promise<void> {
    const mode = this.options.modelsEndpoint ?? 'list';
    if (mode === 'hang') return new Promise((resolve) => call.res.once('close', resolve));
    if (mode === 401) throw new HttpError(401, invalidApiKey(bearerToken(call.req) ?? ''));
    if (mode === 404) throw new HttpError(404, invalidUrl(call.method, call.path));
    const listed = FAKE_MODELS.filter((m) => !this.options.unknownModels?.includes(m.id));
    if (id === undefined) return sendJson(call.res, 200, { object: 'list', data: listed.map(modelObject) });
    const model = listed.find((m) => m.id === id);
    if (!model) throw new HttpError(404, modelNotFound(id));
    sendJson(call.res, 200, modelObject(model));
  }

  /**
   * `POST /v1/responses/compact`: the context (input, or the chain of `previous_response_id`) becomes its user
   * messages plus one compaction item, which the client sends as the input of its next request.
   */
  private compact(call: Call): void {
    const body = jsonObject(call.body);
    if (typeof body.model !== 'string' || body.model === '') throw missingParameter('model');
    this.rejectRefusedParameters(body);
    if (this.isUnknownModel(body.model)) throw new HttpError(404, modelNotFound(body.model));
    const model = this.model(body.model);
    if (Array.isArray(body.input)) this.checkReplay(body.input as Json[], model);
    const context = contextFor(this.previousFor(body), normalizeInput(body.input));
    // As on OpenAI the user messages stay readable; the item seals them too, since it stands for all before it.
    const userMessages = context.filter((item) => item.type === 'message' && item.role === 'user');
    const output = [...userMessages, this.compactionItem(model, this.userTexts(context))];
    const inputTokens = estimateInputTokens(body.instructions, context);
    const outputTokens = estimateInputTokens(undefined, output.slice(-1));
    sendJson(call.res, 200, {
      id: newId('resp_'),
      object: 'response.compaction',
      output,
      created_at: unixNow(),
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
    });
  }

  private countInputTokens(call: Call): void {
    const body = jsonObject(call.body);
    if (body.previous_response_id != null && body.conversation != null) throw mutuallyExclusive();
    const context = contextFor(this.previousFor(body), normalizeInput(body.input));
    const inputTokens = estimateInputTokens(body.instructions, context);
    sendJson(call.res, 200, { object: 'response.input_tokens', input_tokens: inputTokens });
  }
}

// ---- the model: context, estimate, output ----

/**
 * `previous.context ⧺ previous.output ⧺ input`: the flattened chain, from its last compaction item on (the
 * items before it are what that item summarizes).
 */
function contextFor(previous: Stored | undefined, input: Json[]): Json[] {
  const history = previous ? [...previous.context, ...previous.response.output] : [];
  const items = [...history, ...input];
  const compacted = items.map((item) => item.type).lastIndexOf('compaction');
  return compacted > 0 ? items.slice(compacted) : items;
}

/** A string is one user message; string content becomes one text part; every item gets an id. */
function normalizeInput(input: unknown): Json[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [normalizeItem({ role: 'user', content: input })];
  return (input as Json[]).map(normalizeItem);
}

function normalizeItem(item: Json): Json {
  if (item.type !== undefined && item.type !== 'message') {
    return { id: newId(item.type === 'function_call' ? 'fc_' : 'item_'), ...item };
  }
  const content =
    typeof item.content === 'string'
      ? [item.role === 'assistant' ? outputTextPart(item.content) : { type: 'input_text', text: item.content }]
      : item.content;
  const phase = item.phase == null ? {} : { phase: item.phase };
  return { id: item.id ?? newId('msg_'), type: 'message', role: item.role, content, ...phase, status: item.status ?? 'completed' };
}

/** An item as the prompt cache compares it: without the ids and statuses that differ between sends. */
function itemSignature(item: Json): string {
  return JSON.stringify({ ...item, id: undefined, status: undefined });
}

function messageText(item: Json): string {
  if (!Array.isArray(item.content)) return '';
  return (item.content as Json[]).map((part) => part.text ?? part.refusal ?? '').join('\n');
}

/** Deterministic: a quarter of the characters of the instructions and of every context item. */
function estimateInputTokens(instructions: unknown, context: Json[]): number {
  const chars = (value: unknown) =>
    typeof value === 'string' ? value.length : value == null ? 0 : JSON.stringify(value).length;
  // A compaction item is dense: it counts a tenth of its size.
  const itemChars = (item: Json) =>
    item.type === 'message' ? messageText(item).length : item.type === 'compaction' ? Math.ceil(chars(item) / 10) : chars(item);
  return tokens(chars(instructions) + context.reduce((sum, item) => sum + itemChars(item), 0));
}

function tokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** The reasoning item of a response: its summary parts and the tokens it spent without showing them. */
interface ReasoningPlan {
  summary: string[];
  hiddenTokens: number;
}

/** The effort a request gets: the one it sent, else the model's default; `none` for a model that does not reason. */
function effortOf(body: Json, model: FakeModel): ReasoningEffort {
  return body.reasoning?.effort ?? model.reasoning?.defaultEffort ?? 'none';
}

/** The `reasoning` a response echoes: for a reasoning model, the effort it applied even when none was sent. */
function echoedReasoning(body: Json, model: FakeModel): Json {
  const sent: Json = body.reasoning ?? { effort: null, summary: null };
  return model.reasoning ? { ...sent, effort: effortOf(body, model), summary: sent.summary ?? null } : sent;
}

/** Tokens a model "thinks" per effort level, beyond its summary; deterministic, so tests can assert usage. */
const EFFORT_TOKENS: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 8,
  low: 32,
  medium: 64,
  high: 128,
  xhigh: 256,
  max: 512,
};

/**
 * A scripted `reasoningSummary` always gives a reasoning item. Otherwise a reasoning model whose effort (sent,
 * or its default) is not `none` reasons, with summary parts only when `reasoning.summary` asks and it can.
 */
function planReasoning(body: Json, model: FakeModel, answer: ScriptedAnswer, lastUserText: string): ReasoningPlan | undefined {
  const effort = effortOf(body, model);
  const hiddenTokens = model.reasoning ? EFFORT_TOKENS[effort] : 0;
  if (answer.reasoningSummary !== undefined) return { summary: [answer.reasoningSummary], hiddenTokens };
  if (!model.reasoning || effort === 'none') return undefined;
  const wanted = body.reasoning?.summary ?? body.reasoning?.generate_summary ?? null;
  const summarized = wanted !== null && model.reasoning.summaries;
  return { summary: summarized ? reasoningSummaryParts(lastUserText, wanted === 'detailed') : [], hiddenTokens };
}

interface OutputPiece {
  texts: string[];
  /** Characters spent before the texts (hidden reasoning), about four a token. */
  hiddenChars: number;
  reasoning: boolean;
  make: (texts: string[], status: string) => Json;
}

/**
 * Turns an answer into output items, cutting at `max_output_tokens` (which counts reasoning too, about four
 * characters a token): the item that hits the limit is `incomplete`, and later ones are not produced.
 */
function buildOutput(answer: ScriptedAnswer, reasoning: ReasoningPlan | undefined, maxOutputTokens: unknown) {
  const pieces: OutputPiece[] = [];
  if (reasoning) {
    pieces.push({ texts: reasoning.summary, hiddenChars: reasoning.hiddenTokens * 4, reasoning: true, make: reasoningItem });
  }
  // Where the schema has it, a reasoning model labels its answer as the final one.
  const phase = reasoning ? 'final_answer' : undefined;
  if (answer.text !== undefined || !answer.functionCall) {
    pieces.push({ texts: [answer.text ?? ''], hiddenChars: 0, reasoning: false, make: ([text], status) => messageItem(text, status, phase) });
  }
  const call = answer.functionCall;
  if (call) {
    pieces.push({ texts: [call.arguments], hiddenChars: 0, reasoning: false, make: ([args], status) => functionCallItem(call.name, args, status) });
  }

  let budget = typeof maxOutputTokens === 'number' ? maxOutputTokens * 4 : Infinity;
  const output: Json[] = [];
  let outputChars = 0;
  let reasoningChars = 0;
  for (const piece of pieces) {
    const wanted = piece.hiddenChars + piece.texts.reduce((sum, text) => sum + Array.from(text).length, 0);
    if (budget <= 0 && wanted > 0) return { output, incomplete: true, outputChars, reasoningChars };
    const hidden = Math.min(piece.hiddenChars, budget);
    budget -= hidden;
    let used = hidden;
    let complete = hidden === piece.hiddenChars;
    const kept: string[] = [];
    for (const text of complete ? piece.texts : []) {
      const codePoints = Array.from(text);
      const part = codePoints.slice(0, Math.max(0, budget)).join('');
      kept.push(part);
      budget -= codePoints.length;
      used += part.length;
      if (part !== text) {
        complete = false;
        break;
      }
    }
    output.push(piece.make(kept, complete ? 'completed' : 'incomplete'));
    outputChars += used;
    if (piece.reasoning) reasoningChars += used;
    if (!complete) return { output, incomplete: true, outputChars, reasoningChars };
  }
  return { output, incomplete: false, outputChars, reasoningChars };
}

function messageItem(text: string, status: string, phase?: string): Json {
  const labelled = phase === undefined ? {} : { phase };
  return { id: newId('msg_'), type: 'message', status, role: 'assistant', content: [outputTextPart(text)], ...labelled };
}

function reasoningItem(texts: string[], status: string): Json {
  return { id: newId('rs_'), type: 'reasoning', status, summary: texts.map((text) => ({ type: 'summary_text', text })) };
}

function functionCallItem(name: string, args: string, status: string): Json {
  return { id: newId('fc_'), type: 'function_call', status, call_id: newId('call_'), name, arguments: args };
}

function outputTextPart(text: string): Json {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** Every field of a response that echoes the request (section 2), without status, output and usage. */
function responseShell(body: Json, previousResponseId: string | null): Json {
  return {
    id: newId('resp_'),
    object: 'response',
    created_at: unixNow(),
    status: 'in_progress',
    background: body.background === true,
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: previousResponseId,
    reasoning: body.reasoning ?? { effort: null, summary: null },
    service_tier: body.service_tier && body.service_tier !== 'auto' ? body.service_tier : 'default',
    store: body.store !== false,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: null,
    metadata: body.metadata ?? {},
    ...(typeof body.prompt_cache_key === 'string' && { prompt_cache_key: body.prompt_cache_key }),
    // The spec example echoes `user: null`, but the schema types it as a string: echo it only when sent.
    ...(typeof body.user === 'string' && { user: body.user }),
  };
}

/** The fields of a response before its first output: the snapshot in `response.created`. */
function inProgressFields(): Json {
  return { status: 'in_progress', output: [], usage: null, completed_at: null, incomplete_details: null, error: null };
}

function outputText(response: Json): string {
  return (response.output as Json[])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content as Json[])
    .map((part) => part.text ?? '')
    .join('');
}

// ---- stream events (section 3.1), without sequence numbers: the writer numbers what it actually sends ----

function responseEvents(final: Json, chunkSize: number, obfuscate: boolean): Json[] {
  const split = (text: string) => chunk(text, chunkSize);
  const snapshot = { ...final, ...inProgressFields() };
  const events: Json[] = [
    { type: 'response.created', response: snapshot },
    { type: 'response.in_progress', response: snapshot },
    ...(final.output as Json[]).flatMap((item, index) => itemEvents(item, index, split)),
  ];
  const terminal = TERMINAL_EVENT[final.status];
  if (terminal) events.push({ type: terminal, response: final });
  // `stream_options.include_obfuscation` (default on) pads deltas with a random string, which clients ignore.
  return obfuscate ? events.map((e) => (e.type.endsWith('.delta') ? { ...e, obfuscation: padding(e.delta) } : e)) : events;
}

function itemEvents(item: Json, output_index: number, split: (text: string) => string[]): Json[] {
  const at = { item_id: item.id, output_index };
  const events: Json[] = [{ type: 'response.output_item.added', output_index, item: openedItem(item) }];
  if (item.type === 'message') {
    (item.content as Json[]).forEach((part, content_index) => {
      pushAll(events, [
        { type: 'response.content_part.added', ...at, content_index, part: { ...part, text: '' } },
        split(part.text).map((delta) => ({ type: 'response.output_text.delta', ...at, content_index, delta, logprobs: [] })),
        { type: 'response.output_text.done', ...at, content_index, text: part.text, logprobs: [] },
        { type: 'response.content_part.done', ...at, content_index, part },
      ]);
    });
  } else if (item.type === 'reasoning') {
    (item.summary as Json[]).forEach((part, summary_index) => {
      pushAll(events, [
        { type: 'response.reasoning_summary_part.added', ...at, summary_index, part: { ...part, text: '' } },
        split(part.text).map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...at, summary_index, delta })),
        { type: 'response.reasoning_summary_text.done', ...at, summary_index, text: part.text },
        { type: 'response.reasoning_summary_part.done', ...at, summary_index, part },
      ]);
    });
  } else if (item.type === 'function_call') {
    pushAll(events, [
      split(item.arguments).map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.arguments },
    ]);
  }
  events.push({ type: 'response.output_item.done', output_index, item });
  return events;
}

/**
 * Appends events and arrays of events. Not `push(...deltas)`: a long answer has more deltas than a call
 * may have arguments (about 120,000), which threw "Maximum call stack size exceeded".
 */
function pushAll(events: Json[], items: Array<Json | Json[]>): void {
  for (const item of items) {
    if (Array.isArray(item)) for (const e of item) events.push(e);
    else events.push(item);
  }
}

/** An item as `output_item.added` announces it: in progress, with nothing generated yet. */
function openedItem(item: Json): Json {
  if (item.type === 'message') return { ...item, status: 'in_progress', content: [] };
  if (item.type === 'reasoning') {
    // The schema warns that `encrypted_content` may be incomplete here: clients must take the done item's.
    return { ...item, status: 'in_progress', summary: [], encrypted_content: undefined };
  }
  if (item.type === 'compaction') return item;
  return { ...item, status: 'in_progress', arguments: '' };
}

function countDeltas(response: Json, chunkSize: number): number {
  return responseEvents(response, chunkSize, false).filter((e) => e.type.endsWith('.delta')).length;
}

function chunk(text: string, size: number): string[] {
  const codePoints = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < codePoints.length; i += size) chunks.push(codePoints.slice(i, i + size).join(''));
  return chunks;
}

function padding(delta: string): string {
  return randomBytes(12).toString('base64url').slice(0, Math.max(1, 16 - delta.length));
}

/** Writes numbered SSE events and waits until each is flushed, and notices when the client goes away. */
class SseWriter {
  private corrupted = false;
  private readonly socket: Socket | null;

  constructor(
    readonly res: http.ServerResponse,
    private readonly malformed: Fault['malformed'],
    private sequence: number,
  ) {
    this.socket = res.socket;
    res.writeHead(200, {
      ...commonHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
  }

  /** The client closed the connection (an abort) before the body ended. */
  get clientGone(): boolean {
    return !this.res.writableEnded && (this.socket?.destroyed ?? true);
  }

  send(event: Json, isDelta: boolean): Promise<void> {
    const { type } = event;
    let data = JSON.stringify({ ...event, sequence_number: this.sequence++ });
    if (this.malformed === 'badJson' && isDelta && !this.corrupted) {
      this.corrupted = true;
      data = data.slice(0, Math.floor(data.length / 2));
    }
    const frame = this.malformed === 'noEventLines' ? `data: ${data}\n\n` : `event: ${type}\ndata: ${data}\n\n`;
    return new Promise((resolve) => this.res.write(frame, () => resolve()));
  }
}

// ---- HTTP helpers ----

async function readCall(req: http.IncomingMessage, res: http.ServerResponse): Promise<Call> {
  const chunks: Buffer[] = [];
  for await (const piece of req) chunks.push(piece as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://fake');
  return { req, res, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: parseBody(text) };
}

/** JSON when it parses; otherwise the raw text, which `jsonObject` rejects like OpenAI does. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function jsonObject(body: unknown): Json {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Json;
  throw invalidRequest(
    'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
    null,
    null,
  );
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function faultMatches(fault: Fault, call: Call, streaming: boolean): boolean {
  const streamOnly =
    fault.dropAfterDeltas !== undefined ||
    fault.errorEventAfterDeltas !== undefined ||
    fault.failAfterDeltas !== undefined ||
    fault.malformed !== undefined ||
    fault.slowDeltaMs !== undefined;
  return (
    (!streamOnly || streaming) &&
    (fault.model === undefined || fault.model === call.body?.model) &&
    (fault.path === undefined || fault.path === call.path) &&
    (fault.method === undefined || fault.method.toUpperCase() === call.method)
  );
}

function commonHeaders(): Record<string, string> {
  return {
    'x-request-id': `req_${randomBytes(16).toString('hex')}`,
    'openai-version': '2020-10-01',
    'openai-processing-ms': '1',
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...commonHeaders(), 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendError(res: http.ServerResponse, status: number, error: ApiErrorBody, headers?: Record<string, string>): void {
  sendJson(res, status, { error }, headers);
}

function sendFaultStatus(call: Call, fault: Fault): void {
  const status = fault.status!;
  const headers: Record<string, string> = status === 429 ? rateLimitHeaders() : {};
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  if (fault.body === undefined) {
    return sendError(call.res, status, { ...defaultError(status, call), ...fault.error }, headers);
  }
  const text = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  const type = typeof fault.body === 'string' ? 'text/html; charset=utf-8' : 'application/json';
  call.res.writeHead(status, { ...commonHeaders(), 'content-type': type, ...headers });
  call.res.end(text);
}

/** Small waits, so that SDK retries in tests take milliseconds; `retry-after-ms` wins over `retry-after`. */
function rateLimitHeaders(): Record<string, string> {
  return {
    'retry-after': '1',
    'retry-after-ms': '10',
    'x-ratelimit-limit-requests': '3',
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': '20ms',
    'x-ratelimit-limit-tokens': '40000',
    'x-ratelimit-remaining-tokens': '39990',
    'x-ratelimit-reset-tokens': '15ms',
  };
}

function defaultError(status: number, call: Call): ApiErrorBody {
  const model = typeof call.body?.model === 'string' ? call.body.model : 'gpt-5.1';
  switch (status) {
    case 401:
      return invalidApiKey(bearerToken(call.req) ?? '');
    case 429:
      return {
        message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 500:
      return { message: SERVER_ERROR_MESSAGE, type: 'server_error', param: null, code: null };
    case 502:
      return { message: 'Bad gateway.', type: 'server_error', param: null, code: null };
    case 503:
      return { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null };
    default:
      return {
        message: `The fake server was told to fail with status ${status}.`,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: null,
      };
  }
}

// ---- request checks of the newer parameters ----

/**
 * `reasoning.effort` must be a level the model accepts; models outside the table ignore it, as local servers do.
 * The unsupported-value wording is OpenAI's (anomalyco/opencode#4451); the non-reasoning one is unverified.
 */
function validateReasoning(reasoning: unknown, model: FakeModel): void {
  const effort = (reasoning as Json | null | undefined)?.effort;
  if (effort == null || !isKnownModel(model.id)) return;
  if (!model.reasoning) {
    throw invalidRequest("Unsupported parameter: 'reasoning.effort' is not supported with this model.", 'reasoning.effort', 'unsupported_parameter');
  }
  const { efforts } = model.reasoning;
  if (!efforts.includes(effort)) {
    const message = `Unsupported value: '${effort}' is not supported with the '${model.id}' model. Supported values are: ${quotedList(efforts)}.`;
    throw invalidRequest(message, 'reasoning.effort', 'unsupported_value');
  }
}

/** `context_management`: null, or a non-empty array of `{type: 'compaction', compact_threshold?: >= 1000}`. */
function validateContextManagement(entries: unknown): void {
  if (entries == null) return;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw invalidRequest("Invalid 'context_management': expected a non-empty array of entries.", 'context_management', 'invalid_type');
  }
  entries.forEach((entry: Json, i) => {
    if (entry?.type !== 'compaction') {
      const message = `Invalid value: '${String(entry?.type)}'. Supported values are: 'compaction'.`;
      throw invalidRequest(message, `context_management[${i}].type`, 'invalid_value');
    }
    const threshold = entry.compact_threshold;
    if (threshold != null && (!Number.isInteger(threshold) || threshold < 1000)) {
      throw integerOutOfRange(`context_management[${i}].compact_threshold`, 'below minimum', '>=', 1000, threshold);
    }
  });
}

/** The token count above which `context_management` compacts: its `compact_threshold`, else 90% of the window. */
function compactThreshold(entries: unknown, window: number | undefined): number | undefined {
  const entry = Array.isArray(entries) ? (entries as Json[]).find((e) => e?.type === 'compaction') : undefined;
  if (!entry) return undefined;
  return entry.compact_threshold ?? (window === undefined ? undefined : Math.floor(window * 0.9));
}

/** `'a', 'b', and 'c'`, as OpenAI lists supported values. */
function quotedList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
}

// ---- error bodies (section 4.1) ----

function invalidRequest(message: string, param: string | null, code: string | null): HttpError {
  return new HttpError(400, { message, type: 'invalid_request_error', param, code });
}

function missingParameter(param: string): HttpError {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

function mutuallyExclusive(): HttpError {
  return invalidRequest(
    "Mutually exclusive parameters. Ensure you are only providing one of: 'previous_response_id' or 'conversation'.",
    null,
    'mutually_exclusive_parameters',
  );
}

function integerOutOfRange(param: string, what: string, op: string, limit: number, got: number): HttpError {
  return invalidRequest(
    `Invalid '${param}': integer ${what} value. Expected a value ${op} ${limit}, but got ${got} instead.`,
    param,
    what === 'below minimum' ? 'integer_below_min_value' : 'integer_above_max_value',
  );
}

/** A server refusing a parameter it does not implement; its wording is ours, each local server has its own. */
function unsupportedParameter(param: string): HttpError {
  return invalidRequest(`Unsupported parameter: '${param}' is not supported by this server.`, param, 'unsupported_parameter');
}

/** OpenAI's wording (openai/codex#8145), quoting the blob's ends. */
function encryptedContentNotVerified(blob: unknown): HttpError {
  return invalidRequest(`The encrypted content ${quoteBlob(blob)} could not be verified.`, null, 'invalid_encrypted_content');
}

/** OpenAI's wording (continuedev/continue#8933, the #9991 family). */
function reasoningWithoutFollower(id: string): HttpError {
  return invalidRequest(`Item '${id}' of type 'reasoning' was provided without its required following item.`, 'input', null);
}

/** OpenAI's wording as quoted in continuedev/continue#9991. */
function followerWithoutReasoning(id: string, type: string): HttpError {
  return invalidRequest(`Item '${id}' of type '${type}' was provided without its required 'reasoning' item.`, 'input', null);
}

function itemNotPersisted(id: string): HttpError {
  return invalidRequest(
    `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
    'input',
    null,
  );
}

function invalidApiKey(key: string): ApiErrorBody {
  const masked = key.length > 8 ? `${key.slice(0, 5)}***${key.slice(-2)}` : '***';
  return {
    message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  };
}

function missingApiKey(): ApiErrorBody {
  return {
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
    type: 'invalid_request_error',
    param: null,
    code: null,
  };
}

function modelNotFound(model: string): ApiErrorBody {
  return {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: 'invalid_request_error',
    param: null,
    code: 'model_not_found',
  };
}

function responseNotFound(id: string): ApiErrorBody {
  return { message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param: null, code: null };
}

/** vLLM's body: its `code` is the HTTP status as a number, and `param` names `response_id`. */
function vllmResponseNotFound(id: string): ApiErrorBody {
  return { message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param: 'response_id', code: 404 };
}

function invalidUrl(method: string, path: string): ApiErrorBody {
  return { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null };
}

// ---- small utilities ----

function newId(prefix: string): string {
  return prefix + randomBytes(24).toString('hex');
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
