// The chaining rules (README, "How chaining and recovery work"): decide how a turn reaches the model's
// context (chain, replay or local), send it, and recover once from each of: a server that has forgotten the
// chain or cannot chain at all, a refused optional parameter (requestOptions.ts), and refused replayed items.
import { publicEndpoint } from './archive';
import { resolveEffort } from './effort';
import type { EndpointCapabilities } from './endpointCapabilities';
import { serverModeError, type TurnError } from './errors';
import { losslessReplayInput, replayInput, turnInput } from './requestBuilder';
import {
  droppedNote, explicitlySet, type OptionalParameter, reasons, type ReasoningSettings, refusedForModel, refusedParameter, requestOptions, withoutParameter,
} from './requestOptions';
import type { ResponsesClient, StreamRequest, StreamResult } from './responsesClient';
import type { StreamListener } from './streamEvents';
import type { ChainingMode, ContextMode, ReplayFidelity, ReplayReason, Turn } from './types';

export interface TurnSettings extends ReasoningSettings {
  model: string;
  instructions: string;
  store: boolean;
  chaining: ChainingMode;
  /** A stored response older than this is treated as expired; 0 = never. */
  retentionDays: number;
}

export interface TurnPlan {
  mode: ContextMode;
  request: StreamRequest;
  /** Why the chain was not used, for the log and the per-turn details. */
  reason?: ReplayReason | 'local' | 'store_off';
  /** How the context went, when it was replayed. */
  replay?: ReplayFidelity;
}

/**
 * The request's result plus how it reached the model's context, in the turn record's field names, so
 * the final record is the streaming one with these fields laid over it.
 */
export type TurnOutcome = StreamResult & Pick<Turn, 'previousResponseId' | 'replayedBecause' | 'replay' | 'notes'> & { mode: ContextMode; stored: boolean };

export interface RunTurnOptions {
  client: ResponsesClient;
  capabilities: EndpointCapabilities;
  endpoint: string;
  settings: TurnSettings;
  /** The prompt cache key. */
  conversationId: string;
  /** Completed turns along the path before the new turn: the model's context. */
  context: readonly Turn[];
  /** `compacted` when "Compact and continue" sends it with a compacted context. */
  turn: Pick<Turn, 'question' | 'attachments' | 'compacted'>;
  signal?: AbortSignal;
  /** The client's stream events, and a `reset` when the chain is abandoned and the transcript replayed. */
  onEvent?: StreamListener;
  /** Told when a setting the user chose explicitly could not be applied. */
  onNotice?: (message: string) => void;
  now?: () => number;
}

const DAY_MS = 86_400_000;

/** The context as a replay sends it: the stored items when the model reasons (lossless), else plain text. */
function replayContext(o: Pick<RunTurnOptions, 'settings' | 'context' | 'turn'>): { input: StreamRequest['input']; fidelity: ReplayFidelity } {
  if (reasons(o.settings)) return losslessReplayInput(o.context, o.turn, o.settings.model);
  return { input: replayInput(o.context, o.turn), fidelity: 'text' };
}

/** Decides the first attempt, without any request. */
export function planTurn(o: Pick<RunTurnOptions, 'capabilities' | 'endpoint' | 'settings' | 'conversationId' | 'context' | 'turn' | 'now'>): TurnPlan {
  const { settings, context, turn } = o;
  const base = {
    model: settings.model,
    instructions: settings.instructions,
    options: requestOptions(settings, o.conversationId, o.capabilities.refusedParameters(o.endpoint)),
  };
  const replay = (mode: ContextMode, reason: TurnPlan['reason'], store: boolean): TurnPlan => {
    const { input, fidelity } = replayContext(o);
    return { mode, reason, replay: fidelity, request: { ...base, input, store } };
  };
  if (turn.compacted) {
    // A new chain from the compacted context: the server's copy of the old chain is what overflowed.
    const store = settings.chaining !== 'local' && settings.store;
    return { mode: 'fresh', replay: 'items', request: { ...base, input: [...turn.compacted, ...turnInput(turn)], store } };
  }
  if (settings.chaining === 'local') return replay('local', 'local', false);
  if (!settings.store) return replay('local', 'store_off', false);
  if (settings.chaining === 'auto' && o.capabilities.chainingUnsupported(o.endpoint)) {
    return replay('local', 'unsupported', true);
  }
  const parent = context[context.length - 1];
  if (!parent) return { mode: 'fresh', request: { ...base, input: turnInput(turn), store: true } };
  if (!parent.responseId) return replay('replayed', 'no_response_id', true);
  // An imported chain's ids belong to the endpoint it was exported from: the server here never made them.
  if (parent.importedFrom !== undefined && parent.importedFrom !== publicEndpoint(o.endpoint)) return replay('replayed', 'imported', true);
  if (parent.stored === false) return replay('replayed', 'not_stored', true);
  const age = (o.now ?? Date.now)() - (parent.finishedAt ?? parent.createdAt);
  if (settings.chaining === 'auto' && settings.retentionDays > 0 && age > settings.retentionDays * DAY_MS) {
    return replay('replayed', 'expired', true);
  }
  return {
    mode: 'chained',
    request: { ...base, input: turnInput(turn), previousResponseId: parent.responseId, store: true },
  };
}

/** What a refused replay of stored items looks like: bad encrypted content, or a reasoning item out of its pair. */
function refusedReplay(e: TurnError | undefined): boolean {
  if (e?.kind !== 'bad_request') return false;
  return e.code === 'invalid_encrypted_content' || /type 'reasoning'|'reasoning' item|encrypted content|not persisted/i.test(e.message);
}

/**
 * Runs one turn. At most one recovery of each kind: a refused optional parameter is dropped (once per
 * parameter) and remembered for the endpoint, unless only this model refused it; refused replayed items are sent again as plain messages; a
 * broken chain is replayed. Never throws.
 */
export async function runTurn(o: RunTurnOptions): Promise<TurnOutcome> {
  let plan = planTurn(o);
  let because: ReplayReason | undefined;
  const notes: string[] = [];
  const effort = resolveEffort(o.settings.model, o.settings.reasoningEffort);
  if (effort.note && !o.capabilities.refusedParameters(o.endpoint).includes('reasoning')) notes.push(effort.note);
  const dropped = new Set<OptionalParameter>();
  let textFallback = false;
  const outcome = (r: StreamResult, p: TurnPlan): TurnOutcome => ({
    ...r,
    mode: p.mode,
    previousResponseId: p.request.previousResponseId,
    stored: p.request.store,
    replayedBecause: because ?? (p.mode === 'replayed' ? (p.reason as ReplayReason) : undefined),
    replay: p.replay,
    notes: notes.length ? notes : undefined,
  });
  for (;;) {
    const r = await o.client.stream(plan.request, { signal: o.signal, onEvent: o.onEvent });
    if (o.signal?.aborted || r.status === 'completed') return outcome(r, plan);

    const refused = refusedParameter(r.error, plan.request.options ?? {});
    if (refused && !dropped.has(refused)) {
      dropped.add(refused);
      const forModel = refusedForModel(r.error!);
      if (!forModel) await o.capabilities.markParameterRefused(o.endpoint, refused);
      notes.push(droppedNote(refused, forModel));
      if (!forModel && explicitlySet(o.settings, refused)) {
        o.onNotice?.(`${o.endpoint} does not accept \`${refused}\`, so your Threadline setting for it is not applied on this endpoint.`);
      }
      plan = { ...plan, request: { ...plan.request, options: withoutParameter(plan.request.options ?? {}, refused) } };
      continue;
    }

    if (plan.replay === 'items' && !textFallback && !plan.request.previousResponseId && refusedReplay(r.error)) {
      textFallback = true;
      notes.push('The server refused the replayed reasoning items, so the conversation was sent again as plain messages.');
      plan = { ...plan, replay: 'text', request: { ...plan.request, input: replayInput(o.context, o.turn) } };
      continue;
    }

    const kind = r.error?.kind;
    const broken = plan.mode === 'chained' && (kind === 'previous_response_not_found' || kind === 'chaining_unsupported');
    if (!broken || o.settings.chaining !== 'auto') {
      if (broken && o.settings.chaining === 'server') return outcome({ ...r, error: serverModeError(r.error!) }, plan);
      return outcome(r, plan);
    }
    if (kind === 'chaining_unsupported') await o.capabilities.markChainingUnsupported(o.endpoint);
    o.onEvent?.({
      type: 'reset',
      reason: kind === 'chaining_unsupported' ? 'the endpoint does not support chaining' : 'the server no longer had the previous response',
    });
    because = kind === 'chaining_unsupported' ? 'unsupported' : 'forgotten';
    const { input, fidelity } = replayContext(o);
    plan = {
      mode: kind === 'chaining_unsupported' ? 'local' : 'replayed',
      replay: fidelity,
      request: { ...plan.request, input, previousResponseId: undefined },
    };
  }
}
