import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { joinCommand, ttlSeconds } from '../../../cli/commands/security';

describe('kite token create helpers', () => {
  it('--ttl: durations in whole seconds, 0 never expires, sub-second and junk refused', () => {
    assert.equal(ttlSeconds('24h'), 86_400);
    assert.equal(ttlSeconds('90s'), 90);
    assert.equal(ttlSeconds('1.5m'), 90);
    assert.equal(ttlSeconds('0'), 0);
    assert.throws(() => ttlSeconds('500ms'), (e: unknown) => isKiteError(e, 'Invalid') && /shorter than a second/.test(e.message));
    assert.throws(() => ttlSeconds('-1h'), (e: unknown) => isKiteError(e, 'Invalid') && /--ttl/.test(e.message));
  });

  it('prints the agent command as kubeadm --print-join-command does', () => {
    assert.equal(joinCommand('10.0.0.1:7400', 'abc123.0123456789abcdef', 'sha256:ff'), 'kite-agent --controller 10.0.0.1:7400 --token abc123.0123456789abcdef --ca-hash sha256:ff');
  });
});
