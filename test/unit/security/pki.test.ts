import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import {
  caPin,
  certificateFacts,
  createCertificateAuthority,
  createCertificateRequest,
  issueCertificate,
  isCaPin,
  readCertificateRequest,
  renewalTime,
  signedBy,
  type CertificateAuthority,
} from '../../../common/pki/certs';
import { identityOfSubject, subjectOf, type Identity } from '../../../common/pki/identity';
import { isKiteError } from '../../../common/errors';

describe('cluster PKI', function () {
  this.timeout(10_000);
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  before(async () => {
    ca = await createCertificateAuthority();
    other = await createCertificateAuthority();
  });

  it('issues a node certificate from a request, bound to the name, with server and client use and its DNS name', async () => {
    const { csr } = await createCertificateRequest({ kind: 'node', name: 'n1' });
    const req = await readCertificateRequest(csr);
    assert.deepEqual(req.identity, { kind: 'node', name: 'n1' });
    const pem = await issueCertificate(ca, { kind: 'node', name: 'n1' }, req.publicKey, 3600_000);
    const x = new X509Certificate(pem);
    assert.ok(signedBy(pem, ca.cert));
    assert.ok(!signedBy(pem, other.cert));
    assert.match(x.subjectAltName ?? '', /DNS:n1\.node\.kite/);
    assert.equal(x.ca, false);
    assert.deepEqual(certificateFacts(pem).identity, { kind: 'node', name: 'n1' });
  });

  it('signs with the CA it is given even when CAs alternate (the parsed CA is reused only for the same one)', async () => {
    const { publicKey } = await readCertificateRequest((await createCertificateRequest({ kind: 'node', name: 'n2' })).csr);
    for (const signer of [ca, other, ca, other]) {
      const pem = await issueCertificate(signer, { kind: 'node', name: 'n2' }, publicKey, 3600_000);
      assert.ok(signedBy(pem, signer.cert));
      assert.equal(new X509Certificate(pem).issuer, new X509Certificate(signer.cert).subject);
      assert.equal(new X509Certificate(pem).checkIssued(new X509Certificate(signer === ca ? other.cert : ca.cert)), false);
    }
  });

  it('gives users client-only certificates with no server name', async () => {
    const { csr } = await createCertificateRequest({ kind: 'user', name: 'alice' });
    const pem = await issueCertificate(ca, { kind: 'user', name: 'alice' }, (await readCertificateRequest(csr)).publicKey, 3600_000);
    assert.equal(new X509Certificate(pem).subjectAltName, undefined);
    assert.deepEqual(certificateFacts(pem).identity, { kind: 'user', name: 'alice' });
  });

  it('refuses a request that is not PKCS#10, or whose signature does not verify', async () => {
    await assert.rejects(readCertificateRequest('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'), (e: unknown) => isKiteError(e, 'Invalid'));
    const { csr } = await createCertificateRequest({ kind: 'node', name: 'n1' });
    const body = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    body[body.length - 5]! ^= 0xff; // corrupt the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${body.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await assert.rejects(readCertificateRequest(tampered), (e: unknown) => isKiteError(e, 'Invalid'));
  });

  it('pins the CA by its public key, and the pin differs between clusters', () => {
    assert.ok(isCaPin(caPin(ca.cert)));
    assert.equal(caPin(ca.cert), caPin(ca.cert));
    assert.notEqual(caPin(ca.cert), caPin(other.cert));
    assert.ok(!isCaPin('sha256:abc'));
  });

  it('renews at two thirds of the life since issue, not of the backdated validity', () => {
    const issued = Date.parse('2026-01-01T00:00:00Z');
    const facts = { notBefore: new Date(issued - 60_000), notAfter: new Date(issued + 30 * 60_000) };
    assert.equal(renewalTime(facts).getTime(), issued + 20 * 60_000);
  });

  it('maps identities to subjects and back, and refuses what names no Kite identity', () => {
    const ids: Identity[] = [{ kind: 'controller' }, { kind: 'node', name: 'a.b' }, { kind: 'user', name: 'bob' }];
    for (const i of ids) assert.deepEqual(identityOfSubject(subjectOf(i)), i);
    assert.equal(identityOfSubject({ commonName: 'system:node:', organization: 'system:nodes' }), undefined);
    assert.equal(identityOfSubject({ commonName: 'system:controller', organization: 'kite:users' }), undefined);
    assert.equal(identityOfSubject({ commonName: 'bob', organization: 'system:nodes' }), undefined);
  });
});
