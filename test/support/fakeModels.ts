// The fake server's model table: which models reason, with which effort levels, and their context windows.
//
// Data, not logic, so that a new model is one row. Source: OpenAI's model pages and reasoning guide as of
// 2026 (gpt-5.1 defaults to effort `none`; gpt-5-mini and o-series default to `medium`; `minimal` is gpt-5
// only; `xhigh` is for codex-max class models). `o3-mini` stands for a model that reasons without summaries.

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface ReasoningSupport {
  /** The `reasoning.effort` values the model accepts, in the API's order. */
  efforts: ReasoningEffort[];
  /** The effort applied when the request sets none; `none` means no reasoning item by default. */
  defaultEffort: ReasoningEffort;
  /** Whether `reasoning.summary` produces summary parts. */
  summaries: boolean;
}

export interface FakeModel {
  id: string;
  /** Encrypted reasoning only decrypts within a family, as on OpenAI. */
  family: string;
  created: number;
  ownedBy: string;
  /** Context window in (estimated) tokens. */
  contextWindow: number;
  /** Absent for a model that does not reason. */
  reasoning?: ReasoningSupport;
}

export const FAKE_MODELS: readonly FakeModel[] = [
  {
    id: 'gpt-5.1',
    family: 'gpt-5.1',
    created: 1762800000,
    ownedBy: 'system',
    contextWindow: 400_000,
    reasoning: { efforts: ['none', 'low', 'medium', 'high'], defaultEffort: 'none', summaries: true },
  },
  {
    id: 'gpt-5-mini',
    family: 'gpt-5',
    created: 1754425777,
    ownedBy: 'system',
    contextWindow: 400_000,
    reasoning: { efforts: ['minimal', 'low', 'medium', 'high'], defaultEffort: 'medium', summaries: true },
  },
  {
    id: 'o4-mini',
    family: 'o4',
    created: 1744225351,
    ownedBy: 'system',
    contextWindow: 200_000,
    reasoning: { efforts: ['low', 'medium', 'high'], defaultEffort: 'medium', summaries: true },
  },
  {
    id: 'o3-mini',
    family: 'o3',
    created: 1737146383,
    ownedBy: 'system',
    contextWindow: 200_000,
    reasoning: { efforts: ['low', 'medium', 'high'], defaultEffort: 'medium', summaries: false },
  },
  { id: 'gpt-4.1', family: 'gpt-4.1', created: 1744316542, ownedBy: 'system', contextWindow: 1_047_576 },
];

/** What the fake assumes of a model outside the table: a text model, as local servers serve any name. */
const FALLBACK_WINDOW = 128_000;

/**
 * The table entry of `id`, with the reasoning of `noSummaryModels` stripped of summaries; a model outside
 * the table is a text model named after itself.
 */
export function fakeModel(id: string, noSummaryModels: readonly string[] = []): FakeModel {
  const known = FAKE_MODELS.find((m) => m.id === id);
  const model = known ?? { id, family: id, created: 1700000000, ownedBy: 'user', contextWindow: FALLBACK_WINDOW };
  if (!model.reasoning || !noSummaryModels.includes(id)) return model;
  return { ...model, reasoning: { ...model.reasoning, summaries: false } };
}

export function isKnownModel(id: string): boolean {
  return FAKE_MODELS.some((m) => m.id === id);
}

/** The `Model` object of `GET /v1/models`. */
export function modelObject(model: FakeModel): Record<string, unknown> {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}
