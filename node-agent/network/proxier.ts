// The service proxy behind one interface, so that hollow (fake-runtime) nodes never touch the
// kernel: IptablesProxier programs it, RecordingProxier only remembers what it was asked.
import type { ProxyRulesInput } from './proxy-rules';

export interface ServiceProxier {
  /** Makes the kernel route exactly these service ports (idempotent; called again to re-assert). */
  sync(input: ProxyRulesInput): Promise<void>;
}

/** For hollow nodes and tests: no kernel, just the last input and how many syncs there were. */
export class RecordingProxier implements ServiceProxier {
  last: ProxyRulesInput | undefined;
  syncs = 0;

  sync(input: ProxyRulesInput): Promise<void> {
    this.last = input;
    this.syncs++;
    return Promise.resolve();
  }
}
