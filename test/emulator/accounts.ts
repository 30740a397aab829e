// Keys, account credits and finished generations: the state behind /key, /credits and /generation.
import { createHash, randomBytes } from 'node:crypto';
import type { KeyState } from './types';

/** The ordinary key tests configure; tests and the run's secrets scan use these constants. */
export const TEST_KEY = 'sk-or-v1-test';
export const MANAGEMENT_KEY = 'sk-or-v1-management';
/** Every key the emulator accepts by default: none may show up in any output of a test run. */
export const TEST_KEYS: readonly string[] = [TEST_KEY, MANAGEMENT_KEY];
/** Shape of the per-test canary keys from `canaryKey()`, so a scan finds them without knowing them. */
export const CANARY_KEY_PATTERN = /(?:sk-or-v1-|CANARY-gateway-token-)CANARY[0-9a-f]{32}/;

/** A fresh key no text could hold by chance; `gateway` gives one without OpenRouter's prefix. */
export function canaryKey(shape: 'openrouter' | 'gateway' = 'openrouter'): string {
  return `${shape === 'openrouter' ? 'sk-or-v1-' : 'CANARY-gateway-token-'}CANARY${randomBytes(16).toString('hex')}`;
}

export const defaultKeys: Record<string, KeyState> = {
  [TEST_KEY]: { label: 'sk-or-v1-tes...est', limit: 10, limit_remaining: 7.5, usage: 2.5, usage_daily: 0.25, usage_weekly: 1, usage_monthly: 2.5, is_free_tier: false, is_management_key: false, limit_reset: null },
  [MANAGEMENT_KEY]: { label: 'management', limit: null, limit_remaining: null, usage: 7.5, usage_daily: 0.5, usage_weekly: 2, usage_monthly: 7.5, is_free_tier: false, is_management_key: true, limit_reset: null },
};

/** A short stable fingerprint of a key, so records and logs can name a key without holding it. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function bearerKey(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1]?.trim();
}

export function keyData(key: string, state: KeyState): Record<string, unknown> {
  return {
    label: state.label ?? `${key.slice(0, 12)}...${key.slice(-3)}`,
    limit: state.limit,
    limit_reset: state.limit_reset ?? null,
    limit_remaining: state.limit_remaining,
    include_byok_in_limit: false,
    usage: state.usage,
    usage_daily: state.usage_daily ?? 0,
    usage_weekly: state.usage_weekly ?? 0,
    usage_monthly: state.usage_monthly ?? 0,
    byok_usage: 0,
    byok_usage_daily: 0,
    byok_usage_weekly: 0,
    byok_usage_monthly: 0,
    is_free_tier: state.is_free_tier ?? false,
    is_management_key: state.is_management_key ?? false,
    is_provisioning_key: state.is_management_key ?? false,
    expires_at: null,
    allowed_data_regions: [],
    free_model_daily_requests: { limit: state.is_free_tier ? 50 : 1000, remaining: state.is_free_tier ? 50 : 1000, used: 0 },
    creator_user_id: 'user_2emulator0000000000000000',
    organization_id: null,
    workspace_id: null,
    rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
  };
}

export interface GenerationRecord {
  id: string;
  endedAt: number;
  data: Record<string, unknown>;
}

export class GenerationBook {
  private readonly records = new Map<string, GenerationRecord>();

  add(record: GenerationRecord): void {
    this.records.set(record.id, record);
    // Bounded so long benchmark runs do not grow without end.
    if (this.records.size > 10_000) this.records.delete(this.records.keys().next().value as string);
  }

  /** The stats once they are "ready", as OpenRouter answers 404 for a while after a generation ends. */
  ready(id: string, readyAfterMs: number, now = Date.now()): Record<string, unknown> | undefined {
    const record = this.records.get(id);
    return record && now - record.endedAt >= readyAfterMs ? record.data : undefined;
  }

  /** Every generation recorded, oldest first, whether /generation serves it yet or not. */
  list(): Array<Record<string, unknown>> {
    return [...this.records.values()].map((record) => record.data);
  }

  clear(): void {
    this.records.clear();
  }
}
