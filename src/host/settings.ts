// Reads Threadline's settings from VS Code through the table in core/settingsTable.ts. `baseURL` is taken
// from user settings only: a cloned repository must not be able to send the key elsewhere, whatever its
// .vscode/settings.json says.
import * as vscode from 'vscode';
import { readSettingValues, SETTINGS_SECTION, type SettingValues } from '../core/settingsTable';
import { settingsTextSetsBaseURL } from '../core/settingsText';

export interface Settings extends Omit<SettingValues, 'requestTimeout'> {
  timeoutMs: number;
}

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

export function readSettings(): Settings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const { requestTimeout, ...rest } = readSettingValues(
    { effective: (key) => cfg.get<unknown>(key), user: (key) => cfg.inspect<unknown>(key)?.globalValue },
    vscode.workspace.isTrusted,
  );
  return { ...rest, timeoutMs: requestTimeout * 1000 };
}

/** Fires when any Threadline setting changes; the next turn reads the new values. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}
