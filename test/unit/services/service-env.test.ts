import assert from 'node:assert/strict';
import { serviceEnvVars } from '../../../node-agent/network/service-env';
import { resolveEnv } from '../../../node-agent/pods/resolve';
import type { Pod } from '../../../common/api/types';
import { service } from './fixtures';

describe('service environment variables', () => {
  it('gives Kubernetes\' variables for each service with a virtual IP', () => {
    const env = serviceEnvVars([
      service('redis-primary', { clusterIP: '10.96.0.11', ports: [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121, protocol: 'UDP' }] }),
      service('db', { clusterIP: 'None', ports: [{ port: 5432 }] }),
      service('pending', { ports: [{ port: 1 }] }),
    ]);
    assert.deepEqual(env, {
      REDIS_PRIMARY_SERVICE_HOST: '10.96.0.11',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.96.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.0.11',
      REDIS_PRIMARY_PORT_9121_UDP: 'udp://10.96.0.11:9121',
      REDIS_PRIMARY_PORT_9121_UDP_PROTO: 'udp',
      REDIS_PRIMARY_PORT_9121_UDP_PORT: '9121',
      REDIS_PRIMARY_PORT_9121_UDP_ADDR: '10.96.0.11',
    });
  });

  it('reach a container under its own env, which wins and may refer to them', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } };
    const container = { name: 'c', image: 'x', env: [{ name: 'WEB_SERVICE_PORT', value: '8080' }, { name: 'URL', value: 'http://$(WEB_SERVICE_HOST)/' }] };
    const env = resolveEnv({ pod, configMaps: [], secrets: [], serviceEnv: () => serviceEnvVars([service('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })]) }, container);
    assert.equal(env.WEB_SERVICE_HOST, '10.96.0.10');
    assert.equal(env.WEB_SERVICE_PORT, '8080');
    assert.equal(env.URL, 'http://10.96.0.10/');
    assert.deepEqual(resolveEnv({ pod, configMaps: [], secrets: [] }, { name: 'c', image: 'x' }), {});
  });
});
