// The `reasoning.effort` a turn sends: the conversation's choice, else `threadline.reasoningEffort`, fitted
// to the levels the model accepts (the table in models.ts). A known model is never sent a level it would
// refuse with a 400; an unknown model (a local server, a model newer than the table) gets what was chosen.
import { modelFacts, REASONING_EFFORTS, type ReasoningEffort } from './models';
import { REASONING_EFFORT_SETTINGS } from './settingsTable';

/** What the user can choose: `default` sends no effort (the model's own). */
export type EffortChoice = (typeof REASONING_EFFORT_SETTINGS)[number];
/** A level chosen for a conversation (`default` is the absence of one: the chat follows the setting). */
export type EffortLevel = Exclude<EffortChoice, 'default'>;
export const EFFORT_LEVELS = REASONING_EFFORT_SETTINGS.filter((e): e is EffortLevel => e !== 'default');

export interface ResolvedEffort {
  /** The level to send, or undefined to send none. */
  sent: ReasoningEffort | undefined;
  /** Set when the chosen level was changed to fit the model: a sentence for the turn's details. */
  note?: string;
}

/**
 * The accepted level nearest to `level` in the schema's order (none < minimal < … < xhigh < max). On a tie
 * the lower one: cheaper and faster, and how gpt-5.1 replaced gpt-5's `minimal` with `none`.
 */
export function nearestLevel(level: ReasoningEffort, accepted: readonly ReasoningEffort[]): ReasoningEffort | undefined {
  const rank = (e: ReasoningEffort) => REASONING_EFFORTS.indexOf(e);
  const away = (e: ReasoningEffort) => Math.abs(rank(e) - rank(level));
  return [...accepted].sort((a, b) => away(a) - away(b) || rank(a) - rank(b))[0];
}

/** The effort to send for `chosen` with `model`, and a note when it had to change. */
export function resolveEffort(model: string, chosen: EffortChoice): ResolvedEffort {
  if (chosen === 'default') return { sent: undefined };
  const facts = modelFacts(model);
  if (facts.family === undefined || facts.effortLevels.includes(chosen)) return { sent: chosen };
  const sent = nearestLevel(chosen, facts.effortLevels);
  return { sent, note: `Effort ${chosen} is not offered by ${model}; ${sent ? `sent ${sent}` : 'no effort sent'}.` };
}

/**
 * Whether the effort control applies to the model: a known model that accepts levels, or an unknown one
 * the user chose an effort for (it may reason; the table cannot say).
 */
export function offersEffort(model: string, chosen: EffortChoice): boolean {
  const facts = modelFacts(model);
  return facts.family !== undefined ? facts.effortLevels.length > 0 : chosen !== 'default';
}

/** The levels the control lists for the model: the table's, or every level for a model it does not know. */
export function effortChoices(model: string): readonly EffortLevel[] {
  const facts = modelFacts(model);
  return facts.family === undefined ? EFFORT_LEVELS : EFFORT_LEVELS.filter((e) => facts.effortLevels.includes(e));
}

/** The composer's "Effort: <level>" text: the level sent (`default` when none is), or undefined when the control does not apply. */
export function effortLabel(model: string, chosen: EffortChoice): string | undefined {
  if (!offersEffort(model, chosen)) return undefined;
  return resolveEffort(model, chosen).sent ?? 'default';
}

/** A row of the effort picker: "Default (…)", then one per level the model takes. */
export interface EffortRow {
  choice: EffortChoice;
  label: string;
  current: boolean;
}

/**
 * The picker's rows for the conversation's model. `chosen` is its effort, `picked` whether it was picked
 * for the chat (else it is the setting's), `setting` is threadline.reasoningEffort. The current row is the
 * level that would be sent, so a chosen level the model does not take marks the one sent instead.
 */
export function effortRows(model: string, chosen: EffortChoice, picked: boolean, setting: EffortChoice): EffortRow[] {
  const fromSetting = resolveEffort(model, setting).sent;
  const gives = setting === 'default' ? "the model's own" : fromSetting === setting ? setting : `${fromSetting ?? 'none sent'}, for the setting's ${setting}`;
  const sent = resolveEffort(model, chosen).sent;
  return [
    { choice: 'default', label: `Default (${gives})`, current: !picked },
    ...effortChoices(model).map((level) => ({ choice: level, label: level, current: picked && level === sent })),
  ];
}

/** `default` or a level, from an untrusted argument (a command's, the API's). */
export function isEffortChoice(v: unknown): v is EffortChoice {
  return (REASONING_EFFORT_SETTINGS as readonly unknown[]).includes(v);
}
