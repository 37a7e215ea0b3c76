// Every Threadline setting, once: its type, default, allowed values and who may set it. package.json's
// `contributes.configuration` and `restrictedConfigurations` must say the same (test/unit/settings.test.ts
// checks it), so a new setting is one row here, its package.json entry, and the code that uses it.
import { DEFAULT_BASE_URL } from './responsesClient';
import type { ChainingMode } from './types';

export const SETTINGS_SECTION = 'threadline';

interface Common {
  /**
   * In Restricted Mode only the user's own value counts (package.json `restrictedConfigurations`): a
   * repository could otherwise use the setting against the user.
   */
  restricted?: true;
  /** Read from user settings only, trusted or not (package.json `"scope": "application"`). */
  userOnly?: true;
}

interface StringSpec extends Common { type: 'string'; default: string; trim?: true }
interface EnumSpec<V extends string = string> extends Common { type: 'enum'; default: V; values: readonly V[] }
interface BooleanSpec extends Common { type: 'boolean'; default: boolean }
interface IntegerSpec extends Common { type: 'integer'; default: number; minimum: number; maximum?: number }

/** One kind of setting per variant; settingValue's `switch` and the package.json test handle each. */
export type SettingSpec = StringSpec | EnumSpec | BooleanSpec | IntegerSpec;

const text = (o: Omit<StringSpec, 'type'>): StringSpec => ({ type: 'string', ...o });
const oneOf = <V extends string>(values: readonly V[], o: Omit<EnumSpec<V>, 'type' | 'values'>): EnumSpec<V> => ({ type: 'enum', values, ...o });
const flag = (o: Omit<BooleanSpec, 'type'>): BooleanSpec => ({ type: 'boolean', ...o });
const integer = (o: Omit<IntegerSpec, 'type'>): IntegerSpec => ({ type: 'integer', ...o });

const CHAINING_MODES: readonly ChainingMode[] = ['auto', 'server', 'local'];
/** `default` sends no `reasoning.effort` (the model's own default); the rest are sent as they are. */
export const REASONING_EFFORT_SETTINGS = ['default', 'none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
/** `off` asks for no summary. */
export const REASONING_SUMMARY_SETTINGS = ['auto', 'concise', 'detailed', 'off'] as const;
export const COMPACTION_SETTINGS = ['auto', 'off'] as const;

export const SETTINGS = {
  baseURL: text({ default: DEFAULT_BASE_URL, trim: true, userOnly: true }),
  model: text({ default: 'gpt-5.1', trim: true, restricted: true }),
  instructions: text({
    default: 'You are a concise, careful programming assistant inside VS Code. Answer in Markdown and put code in fenced blocks tagged with their language.',
    restricted: true,
  }),
  store: flag({ default: true, restricted: true }),
  chaining: oneOf<ChainingMode>(CHAINING_MODES, { default: 'auto', restricted: true }),
  maxRetries: integer({ default: 2, minimum: 0, maximum: 10 }),
  /** Seconds. */
  requestTimeout: integer({ default: 600, minimum: 1 }),
  /** A stored response older than this many days is treated as expired; 0 = never. */
  retentionDays: integer({ default: 30, minimum: 0 }),
  reasoningEffort: oneOf<(typeof REASONING_EFFORT_SETTINGS)[number]>(REASONING_EFFORT_SETTINGS, { default: 'default', restricted: true }),
  reasoningSummary: oneOf<(typeof REASONING_SUMMARY_SETTINGS)[number]>(REASONING_SUMMARY_SETTINGS, { default: 'auto', restricted: true }),
  compaction: oneOf<(typeof COMPACTION_SETTINGS)[number]>(COMPACTION_SETTINGS, { default: 'auto', restricted: true }),
  /** Tokens; 0 = the model table's window (models.ts). */
  contextWindow: integer({ default: 0, minimum: 0, restricted: true }),
} satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValues = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

/**
 * A raw configuration value as the spec allows it. A value of the wrong type (settings.json is
 * hand-edited) or not allowed gets the default; a number above the maximum gets the maximum.
 */
export function settingValue(spec: SettingSpec, raw: unknown): SettingSpec['default'] {
  switch (spec.type) {
    case 'string':
      return typeof raw !== 'string' ? spec.default : spec.trim ? raw.trim() : raw;
    case 'enum':
      return typeof raw === 'string' && spec.values.includes(raw) ? raw : spec.default;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : spec.default;
    case 'integer':
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < spec.minimum) return spec.default;
      return spec.maximum === undefined ? raw : Math.min(raw, spec.maximum);
    default:
      return assertNever(spec);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled setting spec ${JSON.stringify(x)}`);
}

/** Where the values come from: VS Code's configuration in the host, a map in tests. */
export interface SettingSource {
  /** The value VS Code resolves from every scope (workspace folder, workspace, user, default). */
  effective(key: SettingKey): unknown;
  /** The user's own value, ignoring workspace and folder settings; undefined when unset. */
  user(key: SettingKey): unknown;
}

/** Every setting, each read from the scopes it may come from and validated by its spec. */
export function readSettingValues(source: SettingSource, workspaceTrusted: boolean): SettingValues {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const spec: SettingSpec = SETTINGS[key];
    const userOnly = spec.userOnly || (spec.restricted && !workspaceTrusted);
    values[key] = settingValue(spec, userOnly ? source.user(key) : source.effective(key));
  }
  return values as SettingValues;
}
