// Leader election on an etcd lease (etcd's election recipe). Every controller serves the API;
// only the leader runs the scheduler and reconcilers. Losing the lease (etcd unreachable for
// longer than the TTL, or the process dying) stops leader work and campaigns again.
import type { Etcd3, Campaign, ElectionObserver } from 'etcd3';
import type { Logger } from '../common/log';
import { errorMessage } from '../common/errors';
import type { LeaderView } from './api/service';

export interface LeaderCallbacks {
  onElected(): void | Promise<void>;
  onDemoted(): void | Promise<void>;
}

export class LeaderElector implements LeaderView {
  private campaign: Campaign | undefined;
  private observer: ElectionObserver | undefined;
  private leading = false;
  private currentLeader = '';
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly electionKey: string,
    readonly id: string,
    private readonly ttlSeconds: number,
    private readonly callbacks: LeaderCallbacks,
    private readonly log: Logger,
  ) {}

  isLeader(): boolean {
    return this.leading;
  }

  leaderId(): string {
    return this.leading ? this.id : this.currentLeader;
  }

  start(): void {
    this.runCampaign();
    void this.observe();
  }

  private runCampaign(): void {
    if (this.stopped) return;
    const election = this.client.election(this.electionKey, this.ttlSeconds);
    const campaign = election.campaign(this.id);
    this.campaign = campaign;
    campaign.on('elected', () => {
      if (this.campaign !== campaign) return;
      this.leading = true;
      this.currentLeader = this.id;
      this.log.info({ leader: this.id }, 'became leader');
      void Promise.resolve(this.callbacks.onElected()).catch((e) => this.log.error({ err: e }, 'leader start failed'));
    });
    campaign.on('error', (e: unknown) => {
      if (this.campaign !== campaign) return;
      // A failing campaign emits 'error' more than once (lease lost, then the campaign call):
      // retire it at the first one, or every further error would start one more campaign and
      // their number would double every second while etcd is away (enough to keep the etcd
      // circuit breaker open for good, so no controller ever led again after an outage).
      this.campaign = undefined;
      this.log.warn({ err: errorMessage(e) }, 'leader campaign failed; retrying');
      this.demote();
      if (this.retry) clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.runCampaign();
      }, 1000);
    });
  }

  private demote(): void {
    if (!this.leading) return;
    this.leading = false;
    this.log.warn('lost leadership');
    void Promise.resolve(this.callbacks.onDemoted()).catch((e) => this.log.error({ err: e }, 'leader stop failed'));
  }

  private async observe(): Promise<void> {
    if (this.stopped) return;
    try {
      const observer = await this.client.election(this.electionKey, this.ttlSeconds).observe();
      this.observer = observer;
      this.currentLeader = observer.leader() ?? '';
      observer.on('change', (leader: string | undefined) => {
        this.currentLeader = leader ?? '';
      });
      observer.on('error', () => {
        void observer.cancel();
        if (!this.stopped) setTimeout(() => void this.observe(), 1000);
      });
    } catch {
      if (!this.stopped) setTimeout(() => void this.observe(), 1000);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const campaign = this.campaign;
    this.campaign = undefined;
    this.demote();
    await this.observer?.cancel().catch(() => undefined);
    await campaign?.resign().catch(() => undefined);
  }
}
