// Shared by the two runs outside a repository (a folder with no git above it, and an empty window): the
// context commands' outcomes, and a refusal that must name its reason and send nothing.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeServer } from '../../support/fakeResponsesServer';
import { type AskResult, createRequests } from '../helpers';

export type Outcome = AskResult | { refused: string } | { added: string[] } | undefined;

export const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);

/** Observed refusals, for docs/reliability.md's context table. */
export const observed: { case: string; message: string; requests: number }[] = [];

export function refusedWith(fake: FakeServer, name: string, r: Outcome, pattern: RegExp): void {
  assert.ok(r && 'refused' in r, `expected a refusal, got ${JSON.stringify(r)}`);
  assert.match(r.refused, pattern);
  const requests = createRequests(fake).length;
  assert.strictEqual(requests, 0, 'a refused attachment sent a request');
  observed.push({ case: name, message: r.refused, requests });
}

export function completed(r: Outcome): AskResult {
  assert.ok(r && 'status' in r && r.status === 'completed', JSON.stringify(r));
  return r;
}
