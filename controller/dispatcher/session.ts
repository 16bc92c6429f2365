// One agent's session: the stream, its assignment sequence, and coalesced increments.
import type * as grpc from '@grpc/grpc-js';
import type { Pod } from '../../common/api/types';
import type { AgentMessage__Output } from '../../common/generated/kite/v1/AgentMessage';
import type { ControllerMessage } from '../../common/generated/kite/v1/ControllerMessage';
import type { PodAssignment } from '../../common/generated/kite/v1/PodAssignment';
import type { Logger } from '../../common/log';

export type SessionCall = grpc.ServerDuplexStream<AgentMessage__Output, ControllerMessage>;

export class AgentSession {
  private sequence = 0;
  private readonly upserts = new Map<string, Pod>();
  private readonly removals = new Set<string>();
  private flushScheduled = false;
  closed = false;

  constructor(
    readonly nodeName: string,
    /** When the agent registered this session (ms since epoch, by the dispatcher's clock). */
    readonly registeredAt: number,
    private readonly call: SessionCall,
    private readonly bundle: (pod: Pod) => PodAssignment,
    private readonly log: Logger,
  ) {}

  send(msg: ControllerMessage): void {
    if (!this.closed) this.call.write(msg);
  }

  /** Replaces everything the agent was told: used at session start and after a store resync. */
  sendFull(pods: Iterable<Pod>): void {
    this.upserts.clear();
    this.removals.clear();
    const upserts = [...pods].map(this.bundle);
    this.send({ assignments: { sequence: String(++this.sequence), full: true, upserts, removals: [] } });
    this.log.debug({ node: this.nodeName, pods: upserts.length }, 'sent full assignment set');
  }

  upsert(pod: Pod): void {
    this.removals.delete(pod.metadata.uid!);
    this.upserts.set(pod.metadata.uid!, pod);
    this.scheduleFlush();
  }

  remove(uid: string): void {
    this.upserts.delete(uid);
    this.removals.add(uid);
    this.scheduleFlush();
  }

  /** Increments are coalesced per event-loop turn: a burst of 1,000 bindings is one message. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.closed || (this.upserts.size === 0 && this.removals.size === 0)) return;
      const upserts = [...this.upserts.values()].map(this.bundle);
      const removals = [...this.removals];
      this.upserts.clear();
      this.removals.clear();
      this.send({ assignments: { sequence: String(++this.sequence), full: false, upserts, removals } });
    });
  }

  close(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.call.destroy(reason);
    else this.call.end();
  }
}
