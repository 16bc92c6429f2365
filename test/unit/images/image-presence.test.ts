import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { silentLogger } from '../../../common/log';
import { NodeImages, engineTag } from '../../../node-agent/images';

const ID = `sha256:${'ab'.repeat(32)}`;

/** An engine holding one image, `ID`, under the given tags. */
const engine = (tags: string[]) =>
  ({
    getImage: (ref: string) => ({
      inspect: async () => {
        if (ref !== ID) throw Object.assign(new Error('no such image'), { statusCode: 404 });
        return { Id: ID, RepoTags: tags };
      },
    }),
  }) as unknown as Docker;

describe('image presence on a node (kite image push skips)', () => {
  it('names references as the engine lists them', () => {
    assert.equal(engineTag('busybox'), 'busybox:latest');
    assert.equal(engineTag('docker.io/library/busybox:1.36'), 'busybox:1.36');
    assert.equal(engineTag('docker.io/acme/app'), 'acme/app:latest');
    assert.equal(engineTag('registry.example.com:5000/app'), 'registry.example.com:5000/app:latest');
    assert.equal(engineTag('registry.example.com:5000/app:2'), 'registry.example.com:5000/app:2');
  });

  it('counts an image as present only under the name being pushed (a re-tag of a held id is not)', async () => {
    const images = new NodeImages({ docker: engine(['shop/web:1']), log: silentLogger, onChange: () => undefined });
    assert.equal(await images.present(ID, 'shop/web:1'), true);
    assert.equal(await images.present(ID, 'shop/web:2'), false, 'same id, another tag: must be loaded to get the tag');
    assert.equal(await images.present(ID), true);
    assert.equal(await images.present(`sha256:${'cd'.repeat(32)}`, 'shop/web:1'), false);
  });
});
