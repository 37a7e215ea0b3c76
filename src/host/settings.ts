// Reads Threadline's settings. `baseURL` is taken from user settings only: a cloned repository must not be
// able to send the key elsewhere, whatever its .vscode/settings.json says.
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL } from '../core/responsesClient';
import { settingsTextSetsBaseURL } from '../core/settingsText';
import type { TurnSettings } from '../core/turnRunner';
import type { ChainingMode } from '../core/types';

export const SECTION = 'threadline';

export interface Settings extends TurnSettings {
  baseURL: string;
  maxRetries: number;
  timeoutMs: number;
}

const CHAINING: readonly ChainingMode[] = ['auto', 'server', 'local'];

/**
 * True when a workspace or folder tries to set `threadline.baseURL`. VS Code drops application-scoped
 * values from workspace settings before `inspect()` sees them, so read the files themselves.
 */
export async function workspaceSetsBaseURL(): Promise<boolean> {
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  const wsFile = vscode.workspace.workspaceFile;
  if (wsFile && wsFile.scheme !== 'untitled') files.push(wsFile);
  for (const file of files) {
    try {
      if (settingsTextSetsBaseURL(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)))) return true;
    } catch {
      // No settings file there.
    }
  }
  return false;
}

/** The user's own value or the default, ignoring workspace and folder values. */
function userValue<T>(cfg: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  const i = cfg.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

/** Settings a repository could abuse; in Restricted Mode only the user's values count (as declared in package.json). */
const RESTRICTED = new Set(['model', 'instructions', 'store', 'chaining']);

export function readSettings(): Settings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const get = <T>(key: string, fallback: T): T =>
    !vscode.workspace.isTrusted && RESTRICTED.has(key) ? userValue(cfg, key, fallback) : cfg.get<T>(key, fallback);
  const chaining = get<string>('chaining', 'auto');
  const num = (key: string, fallback: number, min: number) => {
    const v = cfg.get<number>(key, fallback);
    return Number.isFinite(v) && v >= min ? v : fallback;
  };
  return {
    baseURL: userValue(cfg, 'baseURL', DEFAULT_BASE_URL).trim(),
    model: get<string>('model', '').trim(),
    instructions: get<string>('instructions', ''),
    store: get<boolean>('store', true) !== false,
    chaining: CHAINING.includes(chaining as ChainingMode) ? (chaining as ChainingMode) : 'auto',
    maxRetries: Math.min(num('maxRetries', 2, 0), 10),
    timeoutMs: num('requestTimeout', 600, 1) * 1000,
    retentionDays: num('retentionDays', 30, 0),
  };
}

/** Fires when any Threadline setting changes; the next turn reads the new values. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
