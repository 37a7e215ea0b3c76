// The model picker: a quick pick that opens at once (busy while the endpoint's list loads), fills in when
// the list arrives, and always lets the user type an id, so a slow or missing `GET /v1/models` never
// blocks the composer. Also "Select Model" with an id given (a command argument, the API) and
// "Regenerate" with "Same model" or "Choose model…". The list itself is built in core/modelCatalog.ts.
import * as vscode from 'vscode';
import { type ListState, type ModelCatalog, type ModelChoice, modelChoices } from '../core/modelCatalog';
import { endpointLabel } from '../core/responsesClient';
import type { AskOutcome, Result } from '../core/session';
import type { ChatController } from './chatController';
import type { Settings } from './settings';

type Item = vscode.QuickPickItem & { choice: ModelChoice };

/** The picker's rows for the endpoint, and why its list is missing, if it is. */
export interface ModelChoices {
  choices: ModelChoice[];
  error?: string;
}

function itemOf(choice: ModelChoice, typed: string): Item {
  switch (choice.kind) {
    case 'model':
      return { choice, label: choice.id, description: choice.current ? 'current' : undefined, detail: choice.detail || undefined };
    case 'section':
      return { choice, label: choice.label, kind: vscode.QuickPickItemKind.Separator };
    case 'enterId':
      return { choice, label: '$(edit) Enter a model id…', description: typed ? `use "${typed}"` : undefined, alwaysShow: true };
    case 'status':
      return { choice, label: choice.failed ? '$(warning) Models unavailable' : '$(loading~spin) Loading models…', detail: choice.label, alwaysShow: true };
    default:
      return ((never: never) => never)(choice);
  }
}

export class ModelPicker {
  constructor(
    private readonly controller: ChatController,
    private readonly catalog: ModelCatalog,
    private readonly settings: () => Settings,
  ) {}

  private get endpoint(): string {
    return endpointLabel(this.settings().baseURL);
  }

  /** Fetches the endpoint's list and caches it; rejects with a message that says why it failed. */
  private async fetchList(signal?: AbortSignal): Promise<string[]> {
    const endpoint = this.endpoint;
    const ids = await this.controller.session.listModels(signal);
    await this.catalog.storeList(endpoint, ids);
    return ids;
  }

  /** The rows the picker would show, after the list is fetched (or taken from the cache unless `refresh`). */
  async choices(refresh = false): Promise<ModelChoices> {
    const endpoint = this.endpoint;
    let listed = refresh ? undefined : this.catalog.cached(endpoint);
    let list: ListState = { state: 'loaded' };
    if (!listed) {
      try {
        listed = await this.fetchList();
      } catch (e) {
        list = { state: 'failed', message: (e as Error).message };
      }
    }
    const choices = modelChoices({ current: this.controller.session.model, recent: this.catalog.recent(endpoint), listed, list, endpoint });
    return { choices, error: list.state === 'failed' ? list.message : undefined };
  }

  /** Shows the quick pick; resolves with the id picked or typed, or undefined when dismissed. */
  pick(): Promise<string | undefined> {
    const endpoint = this.endpoint;
    const current = this.controller.session.model;
    const qp = vscode.window.createQuickPick<Item>();
    const refreshButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: 'Refresh the list of models' };
    qp.title = 'Threadline: Select Model';
    qp.placeholder = `The model for this chat (now ${current}). Type to filter, or type a model id.`;
    qp.matchOnDetail = true;
    qp.buttons = [refreshButton];
    let listed = this.catalog.cached(endpoint);
    let list: ListState = listed ? { state: 'loaded' } : { state: 'loading' };
    const abort = new AbortController();
    const render = () => {
      const typed = qp.value.trim();
      const active = qp.activeItems[0]?.choice;
      qp.items = modelChoices({ current, recent: this.catalog.recent(endpoint), listed, list, endpoint }).map((c) => itemOf(c, typed));
      // Keep the highlighted row when the list fills in under the user's cursor.
      const same = active && qp.items.find((i) => i.choice.kind === active.kind && (active.kind !== 'model' || (i.choice.kind === 'model' && i.choice.id === active.id)));
      if (same) qp.activeItems = [same];
    };
    const load = () => {
      list = { state: 'loading' };
      qp.busy = true;
      render();
      this.fetchList(abort.signal).then(
        (ids) => {
          listed = ids;
          list = { state: 'loaded' };
        },
        (e: unknown) => {
          list = { state: 'failed', message: (e as Error).message };
        },
      ).finally(() => {
        if (abort.signal.aborted) return;
        qp.busy = false;
        render();
      });
    };
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      /** The input box replaced the quick pick: hiding it is not a dismissal. */
      let typing = false;
      const finish = (id: string | undefined) => {
        if (done) return;
        done = true;
        resolve(id?.trim() || undefined);
        if (!typing) qp.hide();
      };
      qp.onDidChangeValue(render);
      qp.onDidTriggerButton((b) => b === refreshButton && load());
      qp.onDidAccept(async () => {
        const choice = qp.selectedItems[0]?.choice;
        const typed = qp.value.trim();
        if (choice?.kind === 'model') return finish(choice.id);
        if (choice?.kind === 'enterId' || (!choice && typed)) {
          if (typed) return finish(typed);
          typing = true;
          qp.hide();
          return finish(await vscode.window.showInputBox({ title: 'Threadline: Enter a Model Id', prompt: `A model id ${endpoint} accepts`, value: current, ignoreFocusOut: true }));
        }
      });
      qp.onDidHide(() => {
        abort.abort();
        qp.dispose();
        if (!done && !typing) {
          done = true;
          resolve(undefined);
        }
      });
      render();
      qp.show();
      if (!listed) load();
    });
  }

  /** Sets the active conversation's model: `model` when given, else the one picked. Resolves with it, or undefined. */
  async select(model?: string): Promise<string | undefined> {
    const id = model ?? (await this.pick());
    if (id === undefined) return undefined;
    const r = await this.controller.session.setModel(id);
    if (!r.ok) {
      this.controller.refused(r.reason);
      return undefined;
    }
    await this.catalog.remember(this.endpoint, r.value);
    return r.value;
  }

  /** "Regenerate": the turn's question again as a sibling branch, with this model or (`choose`) one picked now. */
  async regenerate(turnId: string, choose: boolean): Promise<void> {
    // No picker for a turn that is not there (a stale view): the refusal says so at once.
    if (!(await this.controller.session.activeConversation())?.getTurn(turnId)) return this.controller.refused('no_such_turn');
    const model = choose ? await this.pick() : undefined;
    if (choose && model === undefined) return;
    const r = await this.regenerateWith(turnId, model);
    if (!r.ok) this.controller.refused(r.reason);
  }

  /** Regenerates with `model` (remembered as recently used), or the conversation's model; resolves when the answer ends. */
  async regenerateWith(turnId: string, model?: string): Promise<Result<AskOutcome>> {
    if (model?.trim()) await this.catalog.remember(this.endpoint, model.trim());
    return this.controller.session.retry(turnId, model);
  }
}
