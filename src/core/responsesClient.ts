// One streamed Responses API request through the openai SDK, with every failure classified into a
// TurnError (errors.ts) the UI can act on. The chain rules live in turnRunner.ts.
import type OpenAI from 'openai';
import { contextTooLong, turnError, type TurnError } from './errors';
import type { InputItem } from './requestBuilder';
import type { RequestOptions } from './requestOptions';
import type { StreamListener } from './streamEvents';
import type { OutputItem, Turn, Usage } from './types';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ClientConfig {
  baseURL: string;
  /** Undefined when no key is set; a non-default endpoint may not need one. */
  apiKey?: string;
  maxRetries: number;
  timeoutMs: number;
  /** Told of each retry the SDK makes (n = 1 for the first retry), for the log. */
  onRetry?: (n: number) => void;
  /** For the thinking time; Date.now by default. */
  now?: () => number;
}

/** How long the model list may take; the picker never waits on it, so this only bounds its spinner. */
const LIST_MODELS_TIMEOUT_MS = 15_000;

/** The SDK's retry log line; the count is what is left after this retry. */
const RETRY_LINE = /retrying, (\d+) attempts? remaining/;

export interface StreamRequest {
  model: string;
  instructions?: string;
  input: InputItem[];
  previousResponseId?: string;
  store: boolean;
  /** The optional parameters (reasoning, include, prompt_cache_key, context_management). */
  options?: RequestOptions;
}

/** A `POST /responses/compact` request: the context to compact, as a chain or as items. */
export interface CompactRequest {
  model: string;
  instructions?: string;
  input?: InputItem[];
  previousResponseId?: string;
  promptCacheKey?: string;
}

export interface StreamCallbacks {
  signal?: AbortSignal;
  onEvent?: StreamListener;
}

/** How one request ended, in the turn record's own field names: the only place the answer is accumulated. */
export type StreamResult = Pick<Turn, 'answer' | 'responseId' | 'usage' | 'model' | 'error' | 'reasoningSummary' | 'reasoningMs' | 'output'> & {
  status: 'completed' | 'incomplete' | 'failed' | 'cancelled';
};

type Sdk = typeof import('openai');

/**
 * The SDK is loaded on the first request, not at activation. A plain require (not import()) so the
 * bundled CJS chunk keeps its named exports; esbuild.mjs points it at dist/openai.js.
 */
let sdkModule: Sdk | undefined;
export function loadSdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdkModule ??= require('openai') as Sdk;
  return sdkModule;
}

export function isDefaultEndpoint(baseURL: string): boolean {
  return baseURL.replace(/\/+$/, '') === DEFAULT_BASE_URL;
}

/** `https://host/v1` for messages: never a key, and no query string. */
export function endpointLabel(baseURL: string): string {
  try {
    const u = new URL(baseURL);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseURL;
  }
}

export interface ClassifyContext {
  endpoint: string;
  model: string;
}

/** What the server says when it cannot chain at all (llama.cpp, some proxies), as opposed to "not found". */
const UNSUPPORTED_PARAM = /unsupported|not support|unrecognized|unknown (parameter|field|argument)|not allowed|extra (inputs|fields)/i;

/** Maps anything the SDK or the stream can throw to a TurnError. */
export function classifyError(err: unknown, ctx: ClassifyContext, sdk?: Sdk): TurnError {
  const where = endpointLabel(ctx.endpoint);
  if (sdk && err instanceof sdk.APIUserAbortError) return turnError('aborted', 'Stopped.');
  if (sdk && err instanceof sdk.APIConnectionTimeoutError) {
    return turnError('timeout', `The request to ${where} timed out. Retry, or raise threadline.requestTimeout.`);
  }
  if (sdk && err instanceof sdk.APIConnectionError) {
    return turnError('connection', `Could not connect to ${where}. Check the endpoint (threadline.baseURL) and your network, then retry.`);
  }
  if (sdk && err instanceof sdk.APIError) {
    const status = err.status as number | undefined;
    const code = typeof err.code === 'string' ? err.code : undefined;
    const param = typeof err.param === 'string' ? err.param : undefined;
    const detail = serverMessage(err);
    const extra: Partial<TurnError> = { status, code, param, requestId: err.requestID ?? undefined };
    if (status === undefined) {
      // An `error` event inside a 200 stream.
      if (code === 'context_length_exceeded') return contextTooLong(extra);
      return turnError('stream_failed', `The server reported an error mid-answer: ${detail}`, extra);
    }
    if (status === 401) {
      return turnError('auth', `The API key was rejected by ${where} (401). Set a valid key with "Set API Key".`, extra);
    }
    if (status === 403) {
      return turnError('auth', `${where} refused the request (403): ${detail}`, extra);
    }
    if (status === 429) {
      if (code === 'insufficient_quota' || err.type === 'insufficient_quota') {
        return turnError('quota', `Your account at ${where} is out of quota: ${detail}`, extra);
      }
      const retryAfter = retryAfterSeconds(err.headers);
      const wait = retryAfter !== undefined ? ` Wait ${retryAfter} s, then retry.` : ' Wait a moment, then retry.';
      return turnError('rate_limit', `Rate limited by ${where} after retries.${wait}`, { ...extra, retryAfter });
    }
    if (status >= 500) {
      return turnError('server', `${where} had a server error (${status}). Retry in a moment.`, extra);
    }
    if (code === 'previous_response_not_found' || (status === 404 && /response with id/i.test(detail))) {
      return turnError('previous_response_not_found', 'The server no longer has the previous response of this chat.', extra);
    }
    if (param === 'previous_response_id' || /previous_response_id/.test(detail)) {
      return UNSUPPORTED_PARAM.test(detail)
        ? turnError('chaining_unsupported', `${where} does not support previous_response_id.`, extra)
        : turnError('previous_response_not_found', 'The server no longer has the previous response of this chat.', extra);
    }
    if (code === 'context_length_exceeded') return contextTooLong(extra);
    if (code === 'model_not_found' || (status === 404 && /model/i.test(detail))) {
      return turnError('unknown_model', `The model "${ctx.model}" is not available at ${where}. Choose another model with "Select Model".`, extra);
    }
    return turnError('bad_request', `${where} rejected the request (${status}): ${detail}`, extra);
  }
  if (err instanceof Error) {
    // A socket cut after the headers surfaces as a plain TypeError('terminated') or an OpenAIError.
    if (/terminated|other side closed|socket|ECONNRESET|premature close/i.test(`${err.message} ${String((err as { cause?: unknown }).cause ?? '')}`)) {
      return turnError('stream_cut', 'The connection dropped mid-answer. The partial answer is kept; retry to ask again.');
    }
    if (err instanceof SyntaxError || /server-sent event|JSON/i.test(err.message)) {
      return turnError('stream_failed', `The server sent a malformed stream: ${err.message}`);
    }
    return turnError('stream_failed', `Unexpected error: ${err.message}`);
  }
  return turnError('stream_failed', `Unexpected error: ${String(err)}`);
}

function serverMessage(err: { error?: unknown; message: string }): string {
  const inner = err.error as { message?: unknown } | undefined;
  return typeof inner?.message === 'string' ? inner.message : err.message;
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return Math.max(0, Math.ceil(s));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function usageOf(r: OpenAI.Responses.Response): Usage | undefined {
  if (!r.usage) return undefined;
  return {
    inputTokens: r.usage.input_tokens,
    cachedTokens: r.usage.input_tokens_details?.cached_tokens ?? 0,
    outputTokens: r.usage.output_tokens,
    reasoningTokens: r.usage.output_tokens_details?.reasoning_tokens,
  };
}

/**
 * The reasoning of one streamed response: the summary's paragraphs and how long the model thought, from
 * its first reasoning item to the first answer text (or the end, when it never answered).
 */
class ReasoningTrack {
  private summary = '';
  private startedAt: number | undefined;
  private endedAt: number | undefined;

  constructor(private readonly now: () => number) {}

  /** A reasoning item started; returns the delta that tells the view (empty: "Thinking" without text). */
  started(): string {
    this.startedAt ??= this.now();
    return '';
  }

  /** A new summary part: a blank line before every part but the first. */
  partAdded(): string {
    this.started();
    return this.text(this.summary ? '\n\n' : '');
  }

  text(delta: string): string {
    this.summary += delta;
    return delta;
  }

  answerStarted(): void {
    if (this.startedAt !== undefined) this.endedAt ??= this.now();
  }

  fields(): Pick<Turn, 'reasoningSummary' | 'reasoningMs'> {
    if (this.startedAt === undefined) return {};
    this.answerStarted();
    return { reasoningSummary: this.summary || undefined, reasoningMs: (this.endedAt ?? this.now()) - this.startedAt };
  }
}

/** Every output item as the API returned it, for a lossless replay (an output message needs even its status). */
function keptOutput(r: OpenAI.Responses.Response): OutputItem[] | undefined {
  const items = r.output as unknown as OutputItem[] | undefined;
  return items?.length ? items : undefined;
}

/** Raised inside the stream loop when the server ignored previous_response_id. */
class ChainIgnored extends Error {}

export class ResponsesClient {
  private client: OpenAI | undefined;

  constructor(private readonly config: ClientConfig) {}

  private sdkClient(): { sdk: Sdk; client: OpenAI } {
    const sdk = loadSdk();
    this.client ??= new sdk.OpenAI({
      baseURL: this.config.baseURL,
      // A local server may need no key. The SDK insists on one, so give it a placeholder and drop the
      // Authorization header it would make from it: nothing is sent that looks like a credential.
      apiKey: this.config.apiKey ?? 'unused',
      defaultHeaders: this.config.apiKey ? undefined : { Authorization: null },
      maxRetries: this.config.maxRetries,
      timeout: this.config.timeoutMs,
      // Only the retry lines are used (they carry no request details at this level); the rest stays quiet.
      logLevel: 'info',
      logger: {
        info: (message: string) => {
          const left = RETRY_LINE.exec(message);
          if (left) this.config.onRetry?.(this.config.maxRetries - Number(left[1]) + 1);
        },
        debug: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
      // Ignore OPENAI_* variables other than the key: settings decide organisation, project and headers.
      organization: null,
      project: null,
    });
    return { sdk, client: this.client };
  }

  /**
   * Streams one request. Never throws: every outcome is a StreamResult. When `previousResponseId` is sent
   * and the server's `response.created` does not echo it, the server ignored it: the stream is stopped
   * before any text and the result is a `chaining_unsupported` error.
   */
  async stream(req: StreamRequest, cb: StreamCallbacks = {}): Promise<StreamResult> {
    const ctx = { endpoint: this.config.baseURL, model: req.model };
    const reasoning = new ReasoningTrack(this.config.now ?? Date.now);
    let answer = '';
    let responseId: string | undefined;
    let sdk: Sdk | undefined;
    const local = new AbortController();
    const onAbort = () => local.abort();
    cb.signal?.addEventListener('abort', onAbort);
    try {
      const c = this.sdkClient();
      sdk = c.sdk;
      if (cb.signal?.aborted) return { status: 'cancelled', answer, error: classifyError(new sdk.APIUserAbortError(), ctx, sdk) };
      const stream = await c.client.responses.create(
        {
          ...req.options,
          model: req.model,
          // Stored output items are valid input items as the API returned them.
          input: req.input as OpenAI.Responses.ResponseInput,
          instructions: req.instructions || undefined,
          previous_response_id: req.previousResponseId,
          store: req.store,
          stream: true,
        },
        { signal: local.signal },
      );
      const emit = cb.onEvent ?? (() => undefined);
      /** The terminal events' usage goes out as an event too, then into the result, with the reasoning and the items. */
      const final = (r: OpenAI.Responses.Response) => {
        const usage = usageOf(r);
        if (usage) emit({ type: 'usage', usage });
        return { usage, ...reasoning.fields(), output: keptOutput(r) };
      };
      const reasoningDelta = (text: string) => emit({ type: 'reasoning.delta', text });
      for await (const ev of stream) {
        switch (ev.type) {
          case 'response.created':
            responseId = ev.response.id;
            if (req.previousResponseId && ev.response.previous_response_id !== req.previousResponseId) {
              throw new ChainIgnored();
            }
            emit({ type: 'created', responseId });
            break;
          case 'response.output_item.added':
            if (ev.item.type === 'reasoning') reasoningDelta(reasoning.started());
            break;
          case 'response.reasoning_summary_part.added':
            reasoningDelta(reasoning.partAdded());
            break;
          case 'response.reasoning_summary_text.delta':
            reasoningDelta(reasoning.text(ev.delta));
            break;
          case 'response.output_text.delta':
            reasoning.answerStarted();
            answer += ev.delta;
            emit({ type: 'text.delta', text: ev.delta });
            break;
          case 'response.output_item.done':
            emit({ type: 'item.done', itemType: ev.item.type });
            break;
          case 'response.completed':
            return { status: 'completed', answer, responseId: ev.response.id, ...final(ev.response), model: ev.response.model };
          case 'response.incomplete': {
            const reason = ev.response.incomplete_details?.reason ?? 'unknown';
            const why = reason === 'max_output_tokens' ? 'it reached the output token limit' : `of ${reason}`;
            return {
              status: 'incomplete',
              answer,
              responseId: ev.response.id,
              ...final(ev.response),
              model: ev.response.model,
              error: turnError('incomplete', `The answer stopped early because ${why}.`, { code: reason }),
            };
          }
          case 'response.failed': {
            const e = ev.response.error;
            // The schema's code enum lacks context_length_exceeded, but servers send it here.
            const code: string | undefined = e?.code ?? undefined;
            const error = code === 'context_length_exceeded'
              ? contextTooLong({ code })
              : turnError('stream_failed', `The model failed to answer: ${e?.message ?? 'no reason given'}`, { code });
            return { status: 'failed', answer, responseId: ev.response.id, ...final(ev.response), error };
          }
          case 'error':
            // SDK 7 throws on `event: error`; a server that leaves out the event line gets here instead.
            return {
              status: 'failed',
              answer,
              responseId,
              ...reasoning.fields(),
              error: ev.code === 'context_length_exceeded'
                ? contextTooLong({ code: ev.code })
                : turnError('stream_failed', `The server reported an error mid-answer: ${ev.message}`, { code: ev.code ?? undefined }),
            };
          default:
            break;
        }
      }
      // The iterator ends quietly on abort, and on a connection that closed without a terminal event.
      if (cb.signal?.aborted) return { status: 'cancelled', answer, responseId, ...reasoning.fields(), error: turnError('aborted', 'Stopped.') };
      return {
        status: 'failed',
        answer,
        responseId,
        ...reasoning.fields(),
        error: turnError('stream_cut', 'The answer ended before the server finished it. The partial answer is kept; retry to ask again.'),
      };
    } catch (err) {
      if (err instanceof ChainIgnored) {
        local.abort();
        return {
          status: 'failed',
          answer: '',
          error: turnError('chaining_unsupported', `${endpointLabel(this.config.baseURL)} ignored previous_response_id, so it answered without the conversation.`),
        };
      }
      // Stopped or cut mid-reasoning: the summary so far is kept, like the partial answer.
      if (cb.signal?.aborted) return { status: 'cancelled', answer, responseId, ...reasoning.fields(), error: turnError('aborted', 'Stopped.') };
      return { status: 'failed', answer, responseId, ...reasoning.fields(), error: classifyError(err, ctx, sdk) };
    } finally {
      cb.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Compacts a context with `POST /responses/compact`: the returned items (the user messages and one
   * compaction item) stand for it in the next request. Never throws.
   */
  async compact(req: CompactRequest, signal?: AbortSignal): Promise<{ items: OutputItem[] } | { error: TurnError }> {
    let sdk: Sdk | undefined;
    try {
      const c = this.sdkClient();
      sdk = c.sdk;
      const client = c.client;
      const r = await client.responses.compact(
        {
          model: req.model,
          input: req.input as OpenAI.Responses.ResponseInput | undefined,
          instructions: req.instructions || undefined,
          previous_response_id: req.previousResponseId,
          prompt_cache_key: req.promptCacheKey,
        },
        { signal },
      );
      return { items: r.output as unknown as OutputItem[] };
    } catch (err) {
      return { error: classifyError(err, { endpoint: this.config.baseURL, model: req.model }, sdk) };
    }
  }

  /**
   * The endpoint's model ids (`GET /v1/models`, every page). One attempt with a short timeout: the picker
   * shows what it has meanwhile. A failure throws an Error whose message says why, for the picker.
   */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const { sdk, client } = this.sdkClient();
    const ids: string[] = [];
    try {
      for await (const m of client.models.list({ signal, timeout: LIST_MODELS_TIMEOUT_MS, maxRetries: 0 })) ids.push(m.id);
    } catch (err) {
      const e = classifyError(err, { endpoint: this.config.baseURL, model: '' }, sdk);
      const where = endpointLabel(this.config.baseURL);
      const why = e.status === 404 ? `${where} does not list its models (404).`
        : e.kind === 'timeout' ? `${where} did not list its models within ${LIST_MODELS_TIMEOUT_MS / 1000} s.`
        : e.message;
      throw new Error(why, { cause: err });
    }
    return ids;
  }

  /** Best-effort delete of a stored response (when a conversation is deleted). */
  async deleteResponse(id: string): Promise<void> {
    const { client } = this.sdkClient();
    await client.responses.delete(id);
  }
}
