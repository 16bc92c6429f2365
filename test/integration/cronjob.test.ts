// CronJobs through the CLI against a real controller on a real etcd: apply, kite get cronjobs,
// kite create job --from=cronjob/X (the Job, its owner, its pod) and the cascade on delete. The
// schedule itself is covered on a fake clock in test/unit/workloads/cronjob.test.ts.
import assert from 'node:assert/strict';
import type { CronJob, Job, Pod } from '../../common/api/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, eventually, type ControllerHandle, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';

const PREFIX = '/kite-it-cronjob';
const NS = `cronjob-${process.pid}`;

function cronJobYaml(name: string, schedule: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  schedule: "${schedule}"
  timeZone: Europe/Paris
  jobTemplate:
    metadata:
      labels:
        team: backup
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: main
              image: kite-test/busybox:1
              command: ["true"]
`;
}

function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
}

describe('CronJob (integration: etcd + controller + CLI)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let run: (args: string[], stdin?: string) => Promise<CliResult>;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'cronjob-it', leaderTtlSeconds: 2 });
    run = (args, stdin) => kite(ctl!.target, args, stdin);
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
  });

  it('applies a * * * * * CronJob and lists it as kubectl does (kite get cronjobs / cj)', async () => {
    const r = await run(['apply', '-f', '-'], cronJobYaml('tick', '* * * * *'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cronjob.batch\/tick created/);
    for (const kind of ['cronjobs', 'cj']) {
      const got = await run(['get', kind, '-n', NS]);
      assert.equal(got.code, 0, got.stderr);
      const [header, row] = got.stdout.trim().split('\n');
      assert.deepEqual(header!.split(/\s{2,}/), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
      assert.match(row!, /^tick\s+\* \* \* \* \*\s+Europe\/Paris\s+False\s+\d+\s+\S+\s+\S+$/);
    }
  });

  it('refuses a bad schedule naming spec.schedule, and stores nothing', async () => {
    const r = await run(['apply', '-f', '-'], cronJobYaml('broken', '61 * * * *'));
    assertCleanFailure(r, /spec\.schedule: invalid schedule "61 \* \* \* \*"/);
    await assert.rejects(ctl!.client.get('CronJob', 'broken', NS), /not found/);
  });

  it('kite create job --from=cronjob/X makes the Job from the template, owned by the CronJob, and it runs a pod', async () => {
    const cj = await ctl!.client.get<CronJob>('CronJob', 'tick', NS);
    const r = await run(['create', 'job', 'tick-by-hand', '--from=cronjob/tick', '-n', NS]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'job.batch/tick-by-hand created\n');
    const job = await ctl!.client.get<Job>('Job', 'tick-by-hand', NS);
    assert.equal(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(job.metadata.labels?.team, 'backup');
    assert.deepEqual(job.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]), [['CronJob', 'tick', cj.metadata.uid, true]]);
    assert.equal(job.spec.template.spec.containers[0]?.image, 'kite-test/busybox:1');
    await eventually(async () => (await ctl!.client.list<Pod>('Pod', { namespace: NS, labelSelector: 'job-name=tick-by-hand' })).items.length === 1, 20_000, 'the Job controller creates its pod');
  });

  it('refuses an unknown cronjob, another kind in --from, and a Job name that exists', async () => {
    assertCleanFailure(await run(['create', 'job', 'x1', '--from=cronjob/missing', '-n', NS]), /cronjobs.batch "missing" not found/);
    assertCleanFailure(await run(['create', 'job', 'x2', '--from=deployment/web', '-n', NS]), /--from=deployment\/web: a Job can only be created from a cronjob/);
    assertCleanFailure(await run(['create', 'job', 'x3', '-n', NS]), /needs --from=cronjob\/NAME/);
    assertCleanFailure(await run(['create', 'job', 'tick-by-hand', '--from=cronjob/tick', '-n', NS]), /jobs.batch "tick-by-hand" already exists/);
  });

  it('deleting the CronJob deletes its Jobs (owner references), and their pods', async () => {
    const r = await run(['delete', 'cronjob', 'tick', '-n', NS]);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await ctl!.client.list<Job>('Job', { namespace: NS })).items.length === 0, 30_000, 'the Jobs are collected');
    await eventually(async () => (await ctl!.client.list<Pod>('Pod', { namespace: NS })).items.every((p) => p.metadata.deletionTimestamp), 30_000, 'their pods go');
  });
});
