// Words and numbers the view shows: times, usage, modes, statuses.
import type { ContextMode, ErrorAction, ReplayFidelity, ReplayReason, TurnStatus, Usage } from '../core/types';

export function clockTime(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const nf = new Intl.NumberFormat('en-US');
export const count = (n: number): string => nf.format(n);

export function usageText(u: Usage): string {
  // A model that did not reason (0 tokens) says nothing about reasoning.
  const reasoning = u.reasoningTokens ? ` · ${count(u.reasoningTokens)} reasoning` : '';
  return `${count(u.inputTokens)} in · ${count(u.cachedTokens)} cached · ${count(u.outputTokens)} out${reasoning}`;
}

export const MODE_TEXT: Record<ContextMode, string> = {
  fresh: 'new chain',
  chained: 'chained',
  replayed: 'replayed (chain restarted)',
  local: 'local',
};

export const REPLAY_REASON_TEXT: Record<ReplayReason, string> = {
  forgotten: 'the server no longer had the previous response',
  unsupported: 'this endpoint cannot chain',
  expired: 'the previous response passed its retention',
  not_stored: 'the previous response was not stored',
  no_response_id: 'the previous turn has no response id',
  imported: 'the previous turn was imported from another endpoint',
};

export const REPLAY_FIDELITY_TEXT: Record<ReplayFidelity, string> = {
  items: 'replayed with reasoning items',
  text: 'replayed as plain text',
};

export const STATUS_TEXT: Record<TurnStatus, string> = {
  streaming: 'Writing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Stopped',
  incomplete: 'Incomplete',
  interrupted: 'Interrupted',
};

export const ACTION_TEXT: Record<ErrorAction, string> = {
  setApiKey: 'Set API Key',
  retry: 'Retry',
  newChat: 'New Chat',
  openSettings: 'Open Settings',
  compact: 'Compact and continue',
  selectModel: 'Select Model',
};

export const ACTION_ICON: Record<ErrorAction, string> = {
  setApiKey: 'key',
  retry: 'refresh',
  newChat: 'add',
  openSettings: 'settings-gear',
  compact: 'fold',
  selectModel: 'chip',
};

export function durationText(ms: number): string {
  if (!(ms >= 0)) return '';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host || endpoint;
  } catch {
    return endpoint;
  }
}
