// A minimal fake of the `vscode` API: what activate() touches (and a little more), so the production
// bundle can be required and activated in plain Node. Unknown members of a namespace are reported, not
// silently undefined, so a new API call in activate() shows up as a benchmark error.

import { promises as fsp } from 'node:fs';

type Listener<T> = (e: T) => unknown;

class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...ds: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query = '', readonly fragment = '') {}
  static file(p: string): Uri {
    return new Uri('file', '', p);
  }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1]!, m[2]!, m[3] || '/', m[4] ?? '', m[5] ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path.replace(/\/+$/, ''), ...parts].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  with(c: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

class Position {
  constructor(readonly line: number, readonly character: number) {}
}
class Range {
  constructor(readonly startLine: number, readonly startCharacter: number, readonly endLine: number, readonly endCharacter: number) {}
}
class ThemeIcon {
  constructor(readonly id: string) {}
}

/** Records API members that activate() used but the stub lacks. */
export const missing = new Set<string>();

/** The webview view providers activate() registered, by view id, so the benchmark can resolve one. */
export const viewProviders = new Map<string, ViewProvider>();

interface ViewProvider {
  resolveWebviewView(view: unknown, context: unknown, token: unknown): unknown;
}

/** A webview view as VS Code hands it to resolveWebviewView: visible, never posting. */
export function createWebviewView(): unknown {
  return {
    visible: true,
    webview: {
      options: {},
      html: '',
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      asWebviewUri: (u: Uri) => u.with({ scheme: 'https' }),
      postMessage: () => Promise.resolve(true),
      onDidReceiveMessage: event(),
    },
    onDidDispose: event(),
    onDidChangeVisibility: event(),
    show: noop,
  };
}

function strict<T extends object>(name: string, o: T): T {
  return new Proxy(o, {
    get(target, key, recv) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON') missing.add(`${name}.${key}`);
      return Reflect.get(target, key, recv);
    },
  });
}

const noop = (): void => undefined;
const later = <T>(f: () => Promise<T>): Promise<T> => new Promise<void>((r) => setImmediate(r)).then(f);
const resolved = (): Promise<undefined> => Promise.resolve(undefined);
const event = (): ((l: unknown) => Disposable) => () => new Disposable();

function logChannel(name: string): unknown {
  const lines: string[] = [];
  const push = (level: string) => (msg: unknown) => void lines.push(`[${level}] ${String(msg)}`);
  return {
    name,
    logLevel: 2,
    onDidChangeLogLevel: event(),
    lines,
    trace: push('trace'),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    append: push('append'),
    appendLine: push('line'),
    replace: noop,
    clear: noop,
    show: noop,
    hide: noop,
    dispose: noop,
  };
}

export function createVscodeStub(workspaceFolder: string): Record<string, unknown> {
  const config = (section?: string) =>
    strict('WorkspaceConfiguration', {
      get: <T>(_key: string, fallback?: T) => fallback,
      has: () => false,
      inspect: (key: string) => ({ key: `${section ?? ''}.${key}` }),
      update: resolved,
    });
  return {
    version: '1.101.0',
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    ThemeIcon,
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    CodeActionKind: { QuickFix: { value: 'quickfix' } },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    languages: strict('languages', {
      registerCodeActionsProvider: () => new Disposable(),
      getDiagnostics: () => [],
    }),
    extensions: strict('extensions', {
      getExtension: () => undefined,
    }),
    window: strict('window', {
      createOutputChannel: (name: string) => logChannel(name),
      registerWebviewViewProvider: (id: string, provider: ViewProvider) => {
        viewProviders.set(id, provider);
        return new Disposable(() => viewProviders.delete(id));
      },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: event(),
      onDidChangeVisibleTextEditors: event(),
      onDidChangeTextEditorSelection: event(),
      onDidStartTerminalShellExecution: event(),
      tabGroups: { all: [], onDidChangeTabs: event() },
      showInformationMessage: resolved,
      showWarningMessage: resolved,
      showErrorMessage: resolved,
      showInputBox: resolved,
      showQuickPick: resolved,
      showTextDocument: resolved,
      createQuickPick: () => ({}),
      withProgress: (_o: unknown, task: () => unknown) => task(),
    }),
    commands: strict('commands', {
      registerCommand: () => new Disposable(),
      executeCommand: resolved,
    }),
    workspace: strict('workspace', {
      getConfiguration: config,
      onDidChangeConfiguration: event(),
      onDidChangeWorkspaceFolders: event(),
      onDidGrantWorkspaceTrust: event(),
      workspaceFolders: [{ uri: Uri.file(workspaceFolder), name: 'ws', index: 0 }],
      workspaceFile: undefined,
      isTrusted: true,
      openTextDocument: resolved,
      registerTextDocumentContentProvider: () => new Disposable(),
      onDidCloseTextDocument: event(),
      onDidChangeTextDocument: event(),
      asRelativePath: (p: string | Uri) => String(typeof p === 'string' ? p : p.fsPath),
      // Like VS Code's, these are calls to another process: nothing happens before activate() returns.
      fs: strict('workspace.fs', {
        readFile: (u: Uri) => later(() => fsp.readFile(u.fsPath).then((b) => new Uint8Array(b))),
        writeFile: (u: Uri, b: Uint8Array) => later(() => fsp.writeFile(u.fsPath, b)),
        stat: (u: Uri) => later(() => fsp.stat(u.fsPath).then((st) => ({ type: st.isDirectory() ? 2 : 1, ctime: st.ctimeMs, mtime: st.mtimeMs, size: st.size }))),
        readDirectory: (u: Uri) => later(() => fsp.readdir(u.fsPath, { withFileTypes: true }).then((l) => l.map((d) => [d.name, d.isDirectory() ? 2 : 1]))),
        createDirectory: (u: Uri) => later(() => fsp.mkdir(u.fsPath, { recursive: true }).then(() => undefined)),
        delete: (u: Uri) => later(() => fsp.rm(u.fsPath, { recursive: true, force: true })),
        rename: (a: Uri, b: Uri) => later(() => fsp.rename(a.fsPath, b.fsPath)),
      }),
    }),
    env: strict('env', {
      clipboard: { writeText: resolved, readText: resolved },
      openExternal: resolved,
      appName: 'Visual Studio Code',
      uriScheme: 'vscode',
      language: 'en',
    }),
  };
}

class Memento {
  private readonly map = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T | undefined {
    return this.map.has(key) ? (this.map.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
  setKeysForSync(): void {}
}

/** An ExtensionContext good enough for activate(). */
export function createContext(extensionPath: string, storage: string): Record<string, unknown> {
  const changed = new EventEmitter<unknown>();
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalStorageUri: Uri.file(`${storage}/global`),
    storageUri: Uri.file(`${storage}/ws`),
    logUri: Uri.file(`${storage}/log`),
    globalState: new Memento(),
    workspaceState: new Memento(),
    secrets: {
      get: resolved,
      store: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      keys: () => Promise.resolve([]),
      onDidChange: changed.event,
    },
    environmentVariableCollection: {},
    extensionMode: 1,
    asAbsolutePath: (p: string) => `${extensionPath}/${p}`,
  };
}
