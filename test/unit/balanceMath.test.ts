import assert from 'node:assert/strict';
import { formatUsdCompact } from '../../src/util/usd';
import { balanceDetails, balanceLevel, balanceText, computeBalance, crossedIntoLow, formatUsd } from '../../src/balance/balanceMath';
import type { KeyInfo } from '../../src/openrouter/types';

const key = (over: Partial<KeyInfo> = {}): KeyInfo => ({ limit: 10, limit_remaining: 7.5, usage: 2.5, usage_daily: 0.25, usage_weekly: 1, usage_monthly: 2.5, ...over });

describe('balance math', () => {
  it('takes the smaller of the key limit and the account balance', () => {
    const balance = computeBalance(key({ limit_remaining: 7.5 }), { total_credits: 25, total_usage: 20 });
    assert.equal(balance.spendable, 5);
    assert.equal(balance.source, 'both');
    assert.equal(computeBalance(key({ limit_remaining: 3 }), { total_credits: 25, total_usage: 20 }).spendable, 3);
  });

  it('uses the key limit alone when /credits is not available', () => {
    const balance = computeBalance(key(), undefined);
    assert.equal(balance.spendable, 7.5);
    assert.equal(balance.source, 'key-limit');
  });

  it('uses the account balance alone for a key without a limit', () => {
    const balance = computeBalance(key({ limit: null, limit_remaining: null }), { total_credits: 25, total_usage: 7.5 });
    assert.equal(balance.spendable, 17.5);
    assert.equal(balance.source, 'account');
  });

  it('knows nothing to spend when neither figure exists', () => {
    const balance = computeBalance(key({ limit: null, limit_remaining: null }), undefined);
    assert.equal(balance.spendable, undefined);
    assert.equal(balance.source, 'none');
    assert.equal(balanceText(balance, key({ limit: null, usage: 7.5 })), '$7.50 used');
  });

  it('grades the balance against the threshold', () => {
    assert.equal(balanceLevel(5, 1), 'normal');
    assert.equal(balanceLevel(0.5, 1), 'low');
    assert.equal(balanceLevel(0, 1), 'empty');
    assert.equal(balanceLevel(-0.2, 1), 'empty');
    assert.equal(balanceLevel(undefined, 1), 'unknown');
    assert.equal(balanceLevel(1, 1), 'normal');
  });

  it('warns once on the way down, not again while it stays low', () => {
    assert.equal(crossedIntoLow(undefined, 'low'), true);
    assert.equal(crossedIntoLow('normal', 'low'), true);
    assert.equal(crossedIntoLow('normal', 'empty'), true);
    assert.equal(crossedIntoLow('low', 'low'), false);
    assert.equal(crossedIntoLow('low', 'empty'), false);
    assert.equal(crossedIntoLow('low', 'normal'), false);
    assert.equal(crossedIntoLow('normal', 'normal'), false);
  });

  it('formats dollars', () => {
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.004), '$0.004');
    assert.equal(formatUsd(-1.2), '-$1.20');
    assert.equal(formatUsd(undefined), '—');
  });

  it('formats prices compactly for narrow places, without trailing zeros', () => {
    assert.equal(formatUsdCompact(3), '$3');
    assert.equal(formatUsdCompact(0.15), '$0.15');
    assert.equal(formatUsdCompact(1.5), '$1.5');
    assert.equal(formatUsdCompact(0.0025), '$0.0025');
    assert.equal(formatUsdCompact(150.4), '$150');
  });

  it('shows what is left in the status text', () => {
    assert.equal(balanceText(computeBalance(key(), undefined), key()), '$7.50 left');
  });

  it('lists usage today/week/month, the limit and its reset in the details', () => {
    const rows = balanceDetails(computeBalance(key({ limit_reset: 'monthly' }), undefined), key({ limit_reset: 'monthly' }), true).join('\n');
    assert.match(rows, /today \$0\.25 · this week \$1\.00 · this month \$2\.50/);
    assert.match(rows, /\*\*Limit:\*\* \$10\.00 \(\$7\.50 remaining\)/);
    assert.match(rows, /resets:\*\* monthly/);
    assert.match(rows, /not available to this key/);
  });
});
