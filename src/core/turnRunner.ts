// The chaining rules (README, "How chaining and recovery work"): decide how a turn reaches the model's
// context (chain, replay or local), send it, and recover once when the server has forgotten the chain or
// cannot chain at all.
import { publicEndpoint } from './archive';
import type { EndpointCapabilities } from './endpointCapabilities';
import { serverModeError } from './errors';
import { replayInput, turnInput } from './requestBuilder';
import type { ResponsesClient, StreamRequest, StreamResult } from './responsesClient';
import type { StreamListener } from './streamEvents';
import type { ChainingMode, ContextMode, ReplayReason, Turn } from './types';

export interface TurnSettings {
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
}

/**
 * The request's result plus how it reached the model's context, in the turn record's field names, so
 * the final record is the streaming one with these fields laid over it.
 */
export type TurnOutcome = StreamResult & Pick<Turn, 'previousResponseId' | 'replayedBecause'> & { mode: ContextMode; stored: boolean };

export interface RunTurnOptions {
  client: ResponsesClient;
  capabilities: EndpointCapabilities;
  endpoint: string;
  settings: TurnSettings;
  /** Completed turns along the path before the new turn: the model's context. */
  context: readonly Turn[];
  turn: Pick<Turn, 'question' | 'attachments'>;
  signal?: AbortSignal;
  /** The client's stream events, and a `reset` when the chain is abandoned and the transcript replayed. */
  onEvent?: StreamListener;
  now?: () => number;
}

const DAY_MS = 86_400_000;

/** Decides the first attempt, without any request. */
export function planTurn(o: Pick<RunTurnOptions, 'capabilities' | 'endpoint' | 'settings' | 'context' | 'turn' | 'now'>): TurnPlan {
  const { settings, context, turn } = o;
  const base = { model: settings.model, instructions: settings.instructions };
  const replay = (mode: ContextMode, reason: TurnPlan['reason'], store: boolean): TurnPlan => ({
    mode,
    reason,
    request: { ...base, input: replayInput(context, turn), store },
  });
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

/** Runs one turn, with at most one replay after a broken chain. Never throws. */
export async function runTurn(o: RunTurnOptions): Promise<TurnOutcome> {
  const plan = planTurn(o);
  const first = await o.client.stream(plan.request, { signal: o.signal, onEvent: o.onEvent });
  const outcome = (r: StreamResult, p: TurnPlan, because?: ReplayReason): TurnOutcome => ({
    ...r,
    mode: p.mode,
    previousResponseId: p.request.previousResponseId,
    stored: p.request.store,
    replayedBecause: because ?? (p.mode === 'replayed' ? (p.reason as ReplayReason) : undefined),
  });
  const kind = first.error?.kind;
  const broken = plan.mode === 'chained' && (kind === 'previous_response_not_found' || kind === 'chaining_unsupported');
  if (!broken || o.settings.chaining !== 'auto' || o.signal?.aborted) {
    if (broken && o.settings.chaining === 'server') return outcome({ ...first, error: serverModeError(first.error!) }, plan);
    return outcome(first, plan);
  }
  if (kind === 'chaining_unsupported') await o.capabilities.markChainingUnsupported(o.endpoint);
  o.onEvent?.({
    type: 'reset',
    reason: kind === 'chaining_unsupported' ? 'the endpoint does not support chaining' : 'the server no longer had the previous response',
  });
  const retry: TurnPlan = {
    mode: kind === 'chaining_unsupported' ? 'local' : 'replayed',
    request: { ...plan.request, input: replayInput(o.context, o.turn), previousResponseId: undefined },
  };
  const second = await o.client.stream(retry.request, { signal: o.signal, onEvent: o.onEvent });
  return outcome(second, retry, kind === 'chaining_unsupported' ? 'unsupported' : 'forgotten');
}
