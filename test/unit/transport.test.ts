import { strict as assert } from 'node:assert';
import { KiteClient } from '../../common/client';
import { grpc, loadProto } from '../../common/grpc';
import { bindServer, channelOptions, createServer } from '../../common/transport';
import type { ConfigMap } from '../../common/api/types';
import type { KiteHandlers } from '../../common/generated/kite/v1/Kite';

describe('transport', function () {
  this.timeout(20_000);
  let server: grpc.Server;
  let client: KiteClient;
  const big = 'x'.repeat(5 * 1024 * 1024);

  before(async () => {
    server = createServer();
    const handlers: Partial<KiteHandlers> = {
      Get: (call, cb) => cb(null, { object_json: JSON.stringify({ kind: 'ConfigMap', metadata: { name: call.request.name }, data: { big } }) }),
      Update: (call, cb) => cb(null, { object_json: call.request.object_json }),
    };
    server.addService(loadProto().kite.v1.Kite.service, handlers as KiteHandlers);
    const port = await bindServer(server, '127.0.0.1:0');
    client = new KiteClient(`127.0.0.1:${port}`, 10_000);
  });

  after(() => {
    client.close();
    server.forceShutdown();
  });

  it('carries messages beyond gRPC default 4 MiB limit both ways (server and client share one set of limits)', async () => {
    const got = await client.get<ConfigMap>('ConfigMap', 'cm');
    assert.equal(got.data?.big?.length, big.length);
    const echoed = await client.update<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { big } });
    assert.equal(echoed.data?.big?.length, big.length);
  });

  it('gives a connection of its own only when asked (hollow nodes)', () => {
    assert.equal(channelOptions()['grpc.use_local_subchannel_pool'], undefined);
    assert.equal(channelOptions({ ownConnection: true })['grpc.use_local_subchannel_pool'], 1);
  });
});
