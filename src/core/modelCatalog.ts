// What the model picker lists: the endpoint's models (`GET /v1/models`, cached per endpoint for a day in
// globalState), the models recently picked there, and "Enter a model id…", built as one list of choices
// that the host turns into quick-pick items. No VS Code here, so the list is unit-tested as data.
import { safeParse } from 'valibot';
import { modelFacts, sortModelIds } from './models';
import { type ModelCatalogRecord, modelCatalogSchema } from './schemas';
import type { MementoLike } from './store/memento';

export const MODEL_CATALOG_KEY = 'threadline.models.v1';
/** A fetched list is used for a day; the picker's refresh button fetches it sooner. */
export const MODEL_LIST_TTL_MS = 86_400_000;
/** How many recently picked models the picker shows. */
export const RECENT_MODELS = 5;

/** One row of the picker; the host maps each kind to a quick-pick item (an exhaustive switch). */
export type ModelChoice =
  /** A model to pick; `detail` says whether it reasons (and at which efforts) and its window. */
  | { kind: 'model'; id: string; current: boolean; detail: string }
  /** A heading: "Recently used", "Models at <endpoint>". */
  | { kind: 'section'; label: string }
  /** Type any id (local servers, models the list lacks). */
  | { kind: 'enterId' }
  /** Why the endpoint's models are missing: still loading, or the list failed. Not pickable. */
  | { kind: 'status'; failed: boolean; label: string };

/** Where the endpoint's list stands while the picker is open. */
export type ListState = { state: 'loading' } | { state: 'loaded' } | { state: 'failed'; message: string };

const kTokens = (n: number): string => (n >= 1_000_000 ? `${Math.round(n / 100_000) / 10}M` : `${Math.round(n / 1000)}k`);

/** What the picker says about a model: from the facts table, nothing for an unknown id. */
export function modelDetail(id: string): string {
  const f = modelFacts(id);
  if (!f.family) return '';
  const reasons = !f.reasoning ? 'no reasoning' : f.effortLevels.length ? `reasons: ${f.effortLevels.join('/')}` : 'reasons';
  return `${reasons} · ${kTokens(f.contextWindow)} context`;
}

export interface ChoiceInput {
  /** The active conversation's model. */
  current: string;
  recent: readonly string[];
  /** The endpoint's ids (fetched or cached), or undefined while none are known. */
  listed: readonly string[] | undefined;
  list: ListState;
  endpoint: string;
}

/**
 * The picker's rows: recently used (the current model first), the endpoint's models (chat-capable first,
 * without those already listed above), then "Enter a model id…" and, when the list is not there, why.
 */
export function modelChoices(i: ChoiceInput): ModelChoice[] {
  const model = (id: string): ModelChoice => ({ kind: 'model', id, current: id === i.current, detail: modelDetail(id) });
  const recent = [...new Set([i.current, ...i.recent].map((r) => r.trim()).filter(Boolean))].slice(0, RECENT_MODELS);
  const listed = sortModelIds(i.listed ?? []).filter((id) => !recent.includes(id));
  const out: ModelChoice[] = [{ kind: 'section', label: 'Recently used' }, ...recent.map(model)];
  if (listed.length) out.push({ kind: 'section', label: `Models at ${i.endpoint}` }, ...listed.map(model));
  out.push({ kind: 'enterId' });
  if (i.list.state === 'loading') out.push({ kind: 'status', failed: false, label: `Loading the models of ${i.endpoint}…` });
  if (i.list.state === 'failed') {
    out.push({ kind: 'status', failed: true, label: `Could not list the models of ${i.endpoint}: ${i.list.message} Type a model id instead.` });
  }
  return out;
}

type Entry = ModelCatalogRecord['endpoints'][string];

/** The cached lists and recent picks, per endpoint label (never a key: labels carry no query or credentials). */
export class ModelCatalog {
  constructor(private readonly memento: MementoLike, private readonly now: () => number = Date.now) {}

  private read(): ModelCatalogRecord {
    const r = safeParse(modelCatalogSchema, this.memento.get<unknown>(MODEL_CATALOG_KEY));
    // An unreadable record is only a cache: start afresh.
    return r.success ? r.output : { v: 1, endpoints: {} };
  }

  private async change(endpoint: string, f: (e: Entry) => void): Promise<void> {
    const rec = this.read();
    const entry = (rec.endpoints[endpoint] ??= { recent: [] });
    f(entry);
    await this.memento.update(MODEL_CATALOG_KEY, rec);
  }

  /** The endpoint's list when it was fetched less than a day ago. */
  cached(endpoint: string): string[] | undefined {
    const e = this.read().endpoints[endpoint];
    if (!e?.ids || e.fetchedAt === undefined) return undefined;
    const age = this.now() - e.fetchedAt;
    return age >= 0 && age < MODEL_LIST_TTL_MS ? e.ids : undefined;
  }

  async storeList(endpoint: string, ids: readonly string[]): Promise<void> {
    await this.change(endpoint, (e) => {
      e.ids = [...ids];
      e.fetchedAt = this.now();
    });
  }

  recent(endpoint: string): string[] {
    return this.read().endpoints[endpoint]?.recent ?? [];
  }

  /** A picked model goes to the front of the endpoint's recent list. */
  async remember(endpoint: string, id: string): Promise<void> {
    await this.change(endpoint, (e) => {
      e.recent = [id, ...e.recent.filter((r) => r !== id)].slice(0, RECENT_MODELS);
    });
  }
}
