// Runs the request of one recorded turn: checks the settings, reads the key, picks a client and applies
// the chaining rules (turnRunner.ts); returns the finished record. Also the other uses of the endpoint:
// deleting stored responses, and forgetting what was learned about an endpoint when it or the key changes.
import type { Conversation } from './conversation';
import type { EndpointCapabilities } from './endpointCapabilities';
import { turnError, type TurnError } from './errors';
import { checkSettings } from './inputChecks';
import { losslessHistory } from './requestBuilder';
import { type ClientConfig, endpointLabel, isDefaultEndpoint, ResponsesClient } from './responsesClient';
import { deltaPart, type StreamListener } from './streamEvents';
import { runTurn, type TurnOutcome, type TurnSettings } from './turnRunner';
import type { OutputItem, Turn } from './types';
import type { StreamPart } from '../shared/protocol';

export interface SessionSettings extends TurnSettings {
  baseURL: string;
  maxRetries: number;
  timeoutMs: number;
}

/** Where the core writes its log lines (VS Code's LogOutputChannel fits). Never given the key. */
export interface LogPort {
  info(message: string): void;
  warn(message: string): void;
}

export interface ExecutorPorts {
  settings: () => SessionSettings;
  /** The API key, or undefined when none is set. */
  apiKey: () => Promise<string | undefined>;
  capabilities: EndpointCapabilities;
  log: LogPort;
  now: () => number;
  createClient?: (config: ClientConfig) => ResponsesClient;
}

/** What the live turn's view needs while it streams. */
export interface TurnStreamSink {
  delta(part: StreamPart, text: string): void;
  /** A replay restarts the answer: drop what was shown. */
  restart(): void;
  /** A setting the user chose could not be applied (the endpoint refused it). */
  notice(message: string): void;
}

export class TurnExecutor {
  private client: { key: string; client: ResponsesClient } | undefined;
  /** The endpoint the settings named when last looked at, to notice a change. */
  private baseURL: string;

  constructor(private readonly ports: ExecutorPorts) {
    this.baseURL = ports.settings().baseURL;
  }

  /** Everything between "turn recorded" and "turn finished"; returns the final record. Never throws. */
  async run(conv: Conversation, turn: Turn, signal: AbortSignal, sink: TurnStreamSink): Promise<Turn> {
    const fail = (error: TurnError): Turn => ({ ...turn, status: 'failed', error, finishedAt: this.ports.now() });
    try {
      return await this.request(conv, turn, signal, sink, fail);
    } catch (e) {
      // A throwing port (the key store, the capability memento) fails the turn; it must not leave it live.
      return fail(turnError('stream_failed', `Unexpected error: ${(e as Error).message}`));
    }
  }

  /**
   * The settings (with the conversation's own model and reasoning effort, chosen in their pickers; the
   * settings' for chats without), the key and a client, or the error that stops a request before it is made.
   */
  private async ready(conv: Conversation): Promise<{ settings: SessionSettings; client: ResponsesClient } | { error: TurnError }> {
    const { model, reasoningEffort } = conv.meta;
    const settings = { ...this.ports.settings(), ...(model ? { model } : {}), ...(reasoningEffort ? { reasoningEffort } : {}) };
    const bad = checkSettings(settings);
    if (bad) return { error: bad };
    const apiKey = await this.ports.apiKey();
    if (!apiKey && isDefaultEndpoint(settings.baseURL)) {
      return { error: turnError('auth', 'No API key is set. Set one with "Set API Key", or set OPENAI_API_KEY.') };
    }
    return { settings, client: this.clientFor(settings, apiKey) };
  }

  private async request(conv: Conversation, turn: Turn, signal: AbortSignal, sink: TurnStreamSink, fail: (e: TurnError) => Turn): Promise<Turn> {
    const r = await this.ready(conv);
    if ('error' in r) return fail(r.error);
    const { settings, client } = r;
    const { log, now } = this.ports;
    const t0 = now();
    const context = conv.contextBefore(turn.parentId);
    let streamed = false;
    const onEvent: StreamListener = (e) => {
      const d = deltaPart(e);
      if (d) {
        streamed = true;
        sink.delta(d.part, d.text);
      } else if (e.type === 'reset') {
        log.info(`chain broken (${e.reason}); replaying ${context.length} earlier turn(s) without previous_response_id`);
        // Text streamed by the failed attempt (none in practice) must not mix with the replayed answer.
        if (streamed) sink.restart();
        streamed = false;
      }
    };
    const outcome = await runTurn({
      client,
      capabilities: this.ports.capabilities,
      endpoint: settings.baseURL,
      settings,
      conversationId: conv.id,
      context,
      turn,
      signal,
      onEvent,
      onNotice: (message) => sink.notice(message),
      now,
    });
    log.info(logLine(turn, outcome, now() - t0));
    for (const note of outcome.notes ?? []) log.warn(note);
    const notes = [...(turn.notes ?? []), ...(outcome.notes ?? [])];
    return {
      ...turn,
      ...outcome,
      notes: notes.length ? notes : undefined,
      model: outcome.model ?? settings.model,
      error: outcome.status === 'completed' ? undefined : outcome.error,
      finishedAt: now(),
    };
  }

  private clientFor(s: SessionSettings, apiKey: string | undefined): ResponsesClient {
    // The key is part of the cache key only in memory; it is never logged or stored.
    const key = JSON.stringify([s.baseURL, apiKey ?? '', s.maxRetries, s.timeoutMs]);
    if (this.client?.key !== key) {
      const log = this.ports.log;
      const create = this.ports.createClient ?? ((c: ClientConfig) => new ResponsesClient(c));
      this.client = {
        key,
        client: create({
          baseURL: s.baseURL,
          apiKey,
          maxRetries: s.maxRetries,
          timeoutMs: s.timeoutMs,
          onRetry: (n) => log.info(`retrying request to ${endpointLabel(s.baseURL)} (attempt ${n + 1})`),
        }),
      };
    }
    return this.client.client;
  }

  /**
   * Compacts the context before a turn with the API ("Compact and continue"): from the chain when the server
   * has it, else from the stored items. The items stand for that context in the next request.
   */
  async compact(conv: Conversation, parentId: string | null, signal?: AbortSignal): Promise<{ items: OutputItem[] } | { error: TurnError }> {
    try {
      const r = await this.ready(conv);
      if ('error' in r) return r;
      const { settings, client } = r;
      const context = conv.contextBefore(parentId);
      const parent = context.at(-1);
      const chained = settings.chaining !== 'local' && settings.store && parent?.responseId !== undefined && parent.stored !== false;
      const result = await client.compact({
        model: settings.model,
        instructions: settings.instructions,
        previousResponseId: chained ? parent.responseId : undefined,
        input: chained ? undefined : losslessHistory(context, settings.model).input,
        promptCacheKey: conv.id,
      }, signal);
      this.ports.log.info(`compaction of ${context.length} turn(s): ${'error' in result ? `failed (${result.error.kind})` : 'done'}`);
      return result;
    } catch (e) {
      return { error: turnError('stream_failed', `Unexpected error: ${(e as Error).message}`) };
    }
  }

  /** The endpoint's model ids (`GET /v1/models`); throws an Error that says why they could not be listed. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const s = this.ports.settings();
    const apiKey = await this.ports.apiKey();
    if (!apiKey && isDefaultEndpoint(s.baseURL)) throw new Error('No API key is set.');
    return this.clientFor(s, apiKey).listModels(signal);
  }

  /** Best-effort delete of stored responses on the server; logged, never thrown. */
  async deleteResponses(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { log } = this.ports;
    try {
      const s = this.ports.settings();
      const apiKey = await this.ports.apiKey();
      if (!apiKey && isDefaultEndpoint(s.baseURL)) return;
      const client = this.clientFor(s, apiKey);
      let deleted = 0;
      for (const id of ids) {
        try {
          await client.deleteResponse(id);
          deleted++;
        } catch (e) {
          log.info(`could not delete ${id} on the server: ${(e as Error).message}`);
        }
      }
      log.info(`deleted ${deleted}/${ids.length} stored response(s) on the server`);
    } catch (e) {
      log.warn(`could not delete stored responses on the server: ${(e as Error).message}`);
    }
  }

  /** A new key may reach an endpoint that chains now: forget what was learned about the current one. */
  async keyChanged(): Promise<void> {
    await this.ports.capabilities.forget(this.baseURL);
  }

  /** After a baseURL change the endpoints on both sides are probed afresh (a server may have been upgraded). */
  async settingsChanged(): Promise<void> {
    const before = this.baseURL;
    this.baseURL = this.ports.settings().baseURL;
    if (before === this.baseURL) return;
    await this.ports.capabilities.forget(before);
    await this.ports.capabilities.forget(this.baseURL);
  }
}

function logLine(turn: Turn, o: TurnOutcome, ms: number): string {
  const u = o.usage;
  return `turn ${turn.id.slice(0, 8)}: ${o.status} in ${ms} ms, mode=${o.mode}` +
    `${o.replayedBecause ? ` replayed=${o.replayedBecause}` : ''}` +
    `${o.previousResponseId ? ` prev=${o.previousResponseId}` : ''}` +
    `${o.responseId ? ` id=${o.responseId}` : ''}` +
    `${o.replay ? ` replay=${o.replay}` : ''}` +
    `${u ? ` tokens in=${u.inputTokens} cached=${u.cachedTokens} out=${u.outputTokens}${u.reasoningTokens ? ` reasoning=${u.reasoningTokens}` : ''}` : ''}` +
    `${o.error ? ` error=${o.error.kind}${o.error.status ? `/${o.error.status}` : ''}` : ''}`;
}
