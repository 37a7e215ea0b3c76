// The optional request parameters newer than the Responses API's core (reasoning, include, prompt_cache_key,
// context_management): which ones a turn sends, and how to drop one that a server refused. One descriptor
// per parameter; a new one is a member of OptionalParameter and a row in PARAMETERS.
import { resolveEffort } from './effort';
import type { TurnError } from './errors';
import { compactionThreshold, modelFacts, type ReasoningEffort } from './models';
import type { COMPACTION_SETTINGS, REASONING_EFFORT_SETTINGS, REASONING_SUMMARY_SETTINGS } from './settingsTable';

export type OptionalParameter = 'reasoning' | 'include' | 'prompt_cache_key' | 'context_management';

export interface ReasoningSettings {
  model: string;
  reasoningEffort: (typeof REASONING_EFFORT_SETTINGS)[number];
  reasoningSummary: (typeof REASONING_SUMMARY_SETTINGS)[number];
  compaction: (typeof COMPACTION_SETTINGS)[number];
  /** Tokens; 0 = the model table's window. */
  contextWindow: number;
}

/** The optional parameters of one request, in the Responses API's shapes. */
export interface RequestOptions {
  reasoning?: { effort?: ReasoningEffort; summary?: 'auto' | 'concise' | 'detailed' };
  include?: Array<'reasoning.encrypted_content'>;
  prompt_cache_key?: string;
  context_management?: Array<{ type: 'compaction'; compact_threshold: number }>;
}

interface ParameterSpec {
  /** The value to send, or undefined for none. */
  value(s: ReasoningSettings, conversationId: string): RequestOptions[OptionalParameter];
  /** Whether the user asked for it in the settings (then dropping it is worth telling them). */
  explicit(s: ReasoningSettings): boolean;
}

/**
 * Whether the model reasons: the effort sent says so, else the table. Unknown models (local servers) get no
 * reasoning parameters unless asked, so servers that worked before keep working unchanged.
 */
export function reasons(s: ReasoningSettings): boolean {
  const effort = resolveEffort(s.model, s.reasoningEffort).sent;
  if (effort !== undefined) return effort !== 'none';
  return modelFacts(s.model).reasoning;
}

const PARAMETERS: Record<OptionalParameter, ParameterSpec> = {
  reasoning: {
    value: (s) => {
      const effort = resolveEffort(s.model, s.reasoningEffort).sent;
      const summary = s.reasoningSummary === 'off' || !reasons(s) ? undefined : s.reasoningSummary;
      return effort === undefined && summary === undefined ? undefined : { effort, summary };
    },
    explicit: (s) => s.reasoningEffort !== 'default' || s.reasoningSummary !== 'auto',
  },
  // Encrypted reasoning comes back so a replay (local mode, a forgotten chain) keeps it; costs download only.
  include: {
    value: (s) => (reasons(s) ? ['reasoning.encrypted_content'] : undefined),
    explicit: () => false,
  },
  // The conversation id, so chained and replayed turns of one chat share the prompt cache.
  prompt_cache_key: {
    value: (_s, conversationId) => conversationId,
    explicit: () => false,
  },
  // Only for a model whose window is known (the table, or the override): a guess could compact too early.
  context_management: {
    value: (s) => {
      const known = s.contextWindow > 0 || modelFacts(s.model).family !== undefined;
      if (s.compaction === 'off' || !known) return undefined;
      const threshold = compactionThreshold(s.model, s.contextWindow > 0 ? s.contextWindow : undefined);
      return [{ type: 'compaction', compact_threshold: Math.max(1000, threshold) }];
    },
    explicit: (s) => s.contextWindow > 0,
  },
};

export const OPTIONAL_PARAMETERS = Object.keys(PARAMETERS) as OptionalParameter[];

/** The optional parameters to send, leaving out those the endpoint is known to refuse. */
export function requestOptions(s: ReasoningSettings, conversationId: string, refused: readonly OptionalParameter[] = []): RequestOptions {
  const o: Record<string, unknown> = {};
  for (const p of OPTIONAL_PARAMETERS) {
    const value = refused.includes(p) ? undefined : PARAMETERS[p].value(s, conversationId);
    if (value !== undefined) o[p] = value;
  }
  return o as RequestOptions;
}

export function explicitlySet(s: ReasoningSettings, p: OptionalParameter): boolean {
  return PARAMETERS[p].explicit(s);
}

export function withoutParameter(o: RequestOptions, p: OptionalParameter): RequestOptions {
  const rest = { ...o };
  delete rest[p];
  return rest;
}

/** What servers say when they do not know a parameter (OpenAI, vLLM/pydantic, LM Studio, llama.cpp). */
const UNKNOWN_PARAMETER = /unsupported|not support|unrecognized|unknown (parameter|field|argument)|not allowed|not permitted|extra (inputs|fields)|invalid/i;

/**
 * The sent optional parameter a 400 refused, if that is what it did: the error's `param` names it (or a
 * field inside it, such as `reasoning.effort`), or its message names it as unknown. A refused replayed
 * reasoning item ("of type 'reasoning'") is not a refused parameter.
 */
export function refusedParameter(error: TurnError | undefined, sent: RequestOptions): OptionalParameter | undefined {
  if (!error || error.kind !== 'bad_request' || error.status !== 400) return undefined;
  const candidates = OPTIONAL_PARAMETERS.filter((p) => sent[p] !== undefined);
  const root = error.param?.split(/[.[]/)[0];
  const named = candidates.find((p) => p === root);
  if (named) return named;
  if (error.param !== undefined || !UNKNOWN_PARAMETER.test(error.message)) return undefined;
  const text = error.message.replace(/of type '\w+'/g, '');
  return candidates.find((p) => new RegExp(`\\b${p}\\b`).test(text));
}

/**
 * Whether the 400 refused the parameter for this model only (a value it does not take, a parameter "not
 * supported with this model"): another model at the same endpoint may take it, so it is not remembered.
 */
export function refusedForModel(error: TurnError): boolean {
  return error.code === 'unsupported_value' || /unsupported value|with (this|the '[^']*') model/i.test(error.message);
}

/** A sentence for the per-turn details when a refused parameter was dropped. */
export function droppedNote(p: OptionalParameter, forModel: boolean): string {
  return forModel
    ? `The model refused \`${p}\` as sent, so the turn was sent again without it.`
    : `The endpoint refused \`${p}\`, so the turn was sent again without it (remembered for this endpoint).`;
}
