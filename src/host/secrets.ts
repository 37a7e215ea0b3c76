// The API key lives in SecretStorage, or in the OPENAI_API_KEY environment variable. It is never written
// to settings, state, logs or the webview.
import * as vscode from 'vscode';

const SECRET_KEY = 'threadline.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.sub = secrets.onDidChange((e) => e.key === SECRET_KEY && this.changed.fire());
  }

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    const key = stored?.trim() || process.env.OPENAI_API_KEY?.trim();
    return key || undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Asks for the key in a password box. Returns true when a key was stored. */
  async prompt(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Threadline: Set API Key',
      prompt: 'Your OpenAI API key (or the key of your Responses API endpoint). It is kept in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (v) => (/\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (!key?.trim()) return false;
    await this.secrets.store(SECRET_KEY, key.trim());
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
