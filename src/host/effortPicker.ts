// The reasoning-effort picker: a quick pick of "Default (<what the setting gives>)" and exactly the levels
// the active conversation's model takes (core/effort.ts), the current one marked. Also "Select Reasoning
// Effort" with a level given (a command argument, the API). The choice belongs to the conversation.
import * as vscode from 'vscode';
import { type EffortChoice, effortRows, isEffortChoice } from '../core/effort';
import { REASONING_EFFORT_SETTINGS } from '../core/settingsTable';
import type { ChatController } from './chatController';
import type { Settings } from './settings';

type Item = vscode.QuickPickItem & { choice: EffortChoice };

export class EffortPicker {
  constructor(
    private readonly controller: ChatController,
    private readonly settings: () => Settings,
  ) {}

  /** Shows the quick pick; resolves with the choice, or undefined when dismissed. */
  async pick(): Promise<EffortChoice | undefined> {
    const session = this.controller.session;
    const model = session.model;
    const items: Item[] = effortRows(model, session.reasoningEffort, session.effortPicked, this.settings().reasoningEffort).map((r) => ({
      choice: r.choice,
      label: r.label,
      description: r.current ? 'current' : undefined,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Threadline: Select Reasoning Effort',
      placeHolder: `The reasoning effort for this chat with ${model}`,
    });
    return picked?.choice;
  }

  /**
   * Sets the active conversation's effort: `level` when given, else the one picked. Resolves with the chat's
   * effort, or undefined when dismissed or when `level` is not an effort (said in a warning).
   */
  async select(level?: unknown): Promise<EffortChoice | undefined> {
    if (level !== undefined && !isEffortChoice(level)) {
      void vscode.window.showWarningMessage(
        `Threadline: ${JSON.stringify(level)} is not a reasoning effort. Use one of: ${REASONING_EFFORT_SETTINGS.join(', ')}.`,
      );
      return undefined;
    }
    const choice = level ?? (await this.pick());
    return choice === undefined ? undefined : this.controller.session.setReasoningEffort(choice);
  }
}
