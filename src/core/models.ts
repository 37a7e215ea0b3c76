// What Threadline knows about OpenAI models: context window, output limit, whether the model reasons and
// which `reasoning.effort` levels it accepts. The picker shows which models reason, the effort control
// offers only accepted levels, and compaction starts before the window is full. Unknown models (local
// servers, models newer than this table) get safe defaults: not reasoning, no effort levels, a small window.

/** The `ReasoningEffort` enum of the vendored OpenAPI schema (test/fixtures/openai-openapi.json). */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface ModelFacts {
  /** The table row the id resolved to, or undefined for an unknown model. */
  family: string | undefined;
  /** Tokens of input and output together. */
  contextWindow: number;
  maxOutputTokens: number;
  reasoning: boolean;
  /** The `reasoning.effort` values the model accepts; empty means "do not send reasoning.effort". */
  effortLevels: readonly ReasoningEffort[];
}

type Row = Omit<ModelFacts, 'family'>;

const CLASSIC = ['low', 'medium', 'high'] as const satisfies readonly ReasoningEffort[];
const GPT5 = ['minimal', 'low', 'medium', 'high'] as const satisfies readonly ReasoningEffort[];
const GPT51 = ['none', 'low', 'medium', 'high'] as const satisfies readonly ReasoningEffort[];
const GPT52 = ['none', 'low', 'medium', 'high', 'xhigh'] as const satisfies readonly ReasoningEffort[];

const chat = (contextWindow: number, maxOutputTokens: number): Row => ({ contextWindow, maxOutputTokens, reasoning: false, effortLevels: [] });
const reasons = (contextWindow: number, maxOutputTokens: number, effortLevels: readonly ReasoningEffort[]): Row =>
  ({ contextWindow, maxOutputTokens, reasoning: true, effortLevels });

/*
 * Sources. The ids are the vendored schema's `ModelIdsShared` / `ModelIdsResponses` enums [SPEC]
 * (test/fixtures/openai-openapi.json, openai-openapi commit f85dbe2, 2026-08-21), plus `gpt-5.6` (named
 * in anchors-2026.md) as the parent of its variants; the effort values are
 * its `ReasoningEffort` enum, which says "not all reasoning models support every value" without a
 * per-model list. Neither the schema nor /work/shared/reference/{responses-api,anchors-2026}.md give
 * windows, output limits or per-model effort levels, so those are the widely published figures of
 * OpenAI's model pages [PUB]. Rows marked [ASSUMED] are families newer than any published figure known
 * here: they take their predecessor's figures (gpt-5.2's), which a `threadline.contextWindow` override
 * corrects. Update a row when OpenAI publishes a figure; add a row for a new family.
 */
const TABLE: Readonly<Record<string, Row>> = {
  // GPT-5.6 / 5.5 / 5.4 / 5.3 [SPEC ids; figures ASSUMED from gpt-5.2]
  'gpt-5.6-sol': reasons(400_000, 128_000, GPT52),
  'gpt-5.6-terra': reasons(400_000, 128_000, GPT52),
  'gpt-5.6-luna': reasons(400_000, 128_000, GPT52),
  'gpt-5.6-cyber': reasons(400_000, 128_000, GPT52),
  'gpt-5.6': reasons(400_000, 128_000, GPT52),
  'gpt-5.5-pro': reasons(400_000, 128_000, ['high']),
  'gpt-5.5': reasons(400_000, 128_000, GPT52),
  'gpt-5.4-mini': reasons(400_000, 128_000, GPT52),
  'gpt-5.4-nano': reasons(400_000, 128_000, GPT52),
  'gpt-5.4': reasons(400_000, 128_000, GPT52),
  'gpt-5.3-chat-latest': chat(128_000, 16_384),
  // GPT-5.2 [PUB]
  'gpt-5.2-pro': reasons(400_000, 128_000, ['medium', 'high', 'xhigh']),
  'gpt-5.2-chat-latest': chat(128_000, 16_384),
  'gpt-5.2': reasons(400_000, 128_000, GPT52),
  // GPT-5.1 [PUB]; gpt-5.1-mini [SPEC id; figures ASSUMED from gpt-5-mini]
  'gpt-5.1-codex-max': reasons(400_000, 128_000, ['low', 'medium', 'high', 'xhigh']),
  'gpt-5.1-codex': reasons(400_000, 128_000, CLASSIC),
  'gpt-5.1-chat-latest': chat(128_000, 16_384),
  'gpt-5.1-mini': reasons(400_000, 128_000, GPT5),
  'gpt-5.1': reasons(400_000, 128_000, GPT51),
  // GPT-5 [PUB]
  'gpt-5-pro': reasons(400_000, 272_000, ['high']),
  'gpt-5-codex': reasons(400_000, 128_000, CLASSIC),
  'gpt-5-chat-latest': chat(128_000, 16_384),
  'gpt-5-mini': reasons(400_000, 128_000, GPT5),
  'gpt-5-nano': reasons(400_000, 128_000, GPT5),
  'gpt-5': reasons(400_000, 128_000, GPT5),
  // GPT-4.1, GPT-4o, GPT-4, GPT-3.5 [PUB]
  'gpt-4.1': chat(1_047_576, 32_768),
  'gpt-4.1-mini': chat(1_047_576, 32_768),
  'gpt-4.1-nano': chat(1_047_576, 32_768),
  'gpt-4o': chat(128_000, 16_384),
  'gpt-4o-mini': chat(128_000, 16_384),
  'chatgpt-4o-latest': chat(128_000, 16_384),
  'gpt-4-turbo': chat(128_000, 4_096),
  'gpt-4-turbo-preview': chat(128_000, 4_096),
  'gpt-4-1106-preview': chat(128_000, 4_096),
  'gpt-4-0125-preview': chat(128_000, 4_096),
  'gpt-4-vision-preview': chat(128_000, 4_096),
  'gpt-4': chat(8_192, 8_192),
  'gpt-4-32k': chat(32_768, 8_192),
  'gpt-3.5-turbo': chat(16_385, 4_096),
  'gpt-3.5-turbo-16k': chat(16_385, 4_096),
  // o-series [PUB]. o1-mini, o1-preview and o1-pro are sent no effort: not every snapshot accepts one.
  'o4-mini-deep-research': reasons(200_000, 100_000, ['medium']),
  'o4-mini': reasons(200_000, 100_000, CLASSIC),
  'o3-deep-research': reasons(200_000, 100_000, ['medium']),
  'o3-pro': reasons(200_000, 100_000, CLASSIC),
  'o3-mini': reasons(200_000, 100_000, CLASSIC),
  'o3': reasons(200_000, 100_000, CLASSIC),
  'o1-pro': reasons(200_000, 100_000, []),
  'o1-preview': reasons(128_000, 32_768, []),
  'o1-mini': reasons(128_000, 65_536, []),
  'o1': reasons(200_000, 100_000, CLASSIC),
  'codex-mini-latest': reasons(200_000, 100_000, CLASSIC),
};

/** The table's rows, for tests that go through every known family. */
export const KNOWN_FAMILIES: readonly string[] = Object.keys(TABLE);

/** For an unknown model: it may be a small local one, so compaction starts early unless the user says otherwise. */
export const DEFAULT_FACTS: Readonly<ModelFacts> = Object.freeze({ family: undefined, contextWindow: 32_768, maxOutputTokens: 4_096, reasoning: false, effortLevels: [] });

/** Dated snapshots: `-2025-11-13` (current) and `-0613` (gpt-4 era). */
const SNAPSHOT = /-(?:\d{4}-\d{2}-\d{2}|\d{4})$/;

/**
 * The table row for an id: exact, else without a snapshot date, else the longest row that is a prefix
 * ending at a `-` (so `gpt-5.1-codex-mini` is a gpt-5.1-codex). `openai/` (routers) and fine-tune ids
 * (`ft:gpt-4o-mini:org::id`) name their base model.
 */
function familyOf(id: string): string | undefined {
  let name = id.trim().toLowerCase();
  if (name.startsWith('ft:')) name = name.slice(3).split(':', 1)[0]!;
  if (name.startsWith('openai/')) name = name.slice('openai/'.length);
  if (Object.hasOwn(TABLE, name)) return name;
  const undated = name.replace(SNAPSHOT, '');
  if (Object.hasOwn(TABLE, undated)) return undated;
  let best: string | undefined;
  for (const family of Object.keys(TABLE)) {
    if (undated.startsWith(`${family}-`) && family.length > (best?.length ?? 0)) best = family;
  }
  return best;
}

export function modelFacts(id: string): ModelFacts {
  const family = familyOf(id);
  return family ? { family, ...TABLE[family]! } : DEFAULT_FACTS;
}

export function effortLevelsFor(id: string): readonly ReasoningEffort[] {
  return modelFacts(id).effortLevels;
}

/** Share of the prompt budget at which compaction starts (Copilot uses 90% of max prompt tokens). */
const COMPACTION_SHARE = 0.9;

/**
 * The input tokens at which to compact. The window counts the answer too (gpt-5: a 400k window, but
 * 272k of input), so the budget is the window less the output limit, capped at half the window for an
 * override smaller than the model's output limit. `override` is `threadline.contextWindow`; anything but
 * a positive whole number is ignored (the host validates the setting and says so).
 */
export function compactionThreshold(id: string, override?: number): number {
  const facts = modelFacts(id);
  const window = override !== undefined && Number.isSafeInteger(override) && override > 0 ? override : facts.contextWindow;
  const promptBudget = window - Math.min(facts.maxOutputTokens, Math.floor(window / 2));
  return Math.floor(promptBudget * COMPACTION_SHARE);
}

/** Ids of models that cannot hold a text chat: embeddings, speech, images, video, moderation, realtime, completions-only. */
const NOT_CHAT = [
  /embed/,
  /(^|[-_:/])tts/,
  /whisper/,
  /transcribe/,
  /dall-e/,
  /(^|[-_/])image/,
  /sora/,
  /moderation/,
  /realtime/,
  /(^|[-_/])audio(-|$)/,
  /computer-use/,
  /-instruct/,
  /^(babbage|davinci|ada|curie)(-|$)/,
];

/**
 * Whether an id from `GET /v1/models` names a model Threadline can chat with. Unknown ids (local
 * servers) count as chat models: only known non-chat kinds are filtered out.
 */
export function isChatModel(id: string): boolean {
  const name = id.trim().toLowerCase();
  return name !== '' && !NOT_CHAT.some((re) => re.test(name));
}

/** A `/v1/models` list for the picker: unique ids, chat-capable first, each group in name order. */
export function sortModelIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.map((i) => i.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  return [...unique.filter(isChatModel), ...unique.filter((i) => !isChatModel(i))];
}
