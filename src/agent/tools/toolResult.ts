// The two shapes of a tool's answer: done, or refused/failed with a reason the model can act on.
import type { AgentToolResult } from '../agentTool';

export function done(content: string, summary: string, extra: Partial<AgentToolResult> = {}): AgentToolResult {
  return { content, summary, ...extra };
}

export function failed(content: string, summary = content, extra: Partial<AgentToolResult> = {}): AgentToolResult {
  return { content, summary: summary.length > 120 ? `${summary.slice(0, 117)}…` : summary, isError: true, ...extra };
}

/** An optional string argument, or undefined. */
export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

/** An optional whole-number argument clamped to [min, max], or the fallback. */
export function boundedInt(input: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = input[key];
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}
