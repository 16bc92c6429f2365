// Client-side messages for failed calls, from the details grpc-js really reports.
import assert from 'node:assert/strict';
import { fromServiceError, grpc, tlsFailureReason } from '../../common/grpc';

const unavailable = (details: string) => Object.assign(new Error(details), { code: grpc.status.UNAVAILABLE, details });

describe('fromServiceError: transport failures', () => {
  it('a certificate from another cluster: the TLS handshake, and the credential to check', () => {
    const e = fromServiceError(unavailable('No connection established. Last error: Error: self-signed certificate in certificate chain.'), '10.0.0.1:7400');
    assert.equal(e.code, 'Unavailable');
    assert.equal(
      e.message,
      'cannot reach the Kite controller at 10.0.0.1:7400: TLS handshake failed (self-signed certificate in certificate chain); is your credential (KITE_CONFIG or ~/.kite/config) for this cluster?',
    );
  });

  it("OpenSSL's reason, without codes and source paths; a plaintext port hints at the address", () => {
    const details =
      'No connection established. Last error: Error: 80ECE6CC967F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n.';
    assert.equal(tlsFailureReason(details), 'wrong version number');
    assert.match(fromServiceError(unavailable(details), 'h:1').message, /^cannot reach the Kite controller at h:1: TLS handshake failed \(wrong version number\); is that the controller's gRPC address\?/);
    assert.equal(tlsFailureReason('Connection dropped. Last error: Error: C0:error:0A000418:SSL routines::tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1605:'), 'tlsv1 alert unknown ca');
    assert.equal(
      tlsFailureReason("No connection established. Last error: Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: controller.kite. is not in the cert's altnames: DNS:other."),
      "Hostname/IP does not match certificate's altnames: Host: controller.kite. is not in the cert's altnames: DNS:other",
    );
  });

  it('refused connections and unknown hosts stay "is kite-controller running?", even for a host named tls', () => {
    const refused = fromServiceError(unavailable('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1 (2025-01-01T00:00:00.000Z)'), '127.0.0.1:1');
    assert.equal(refused.message, 'cannot reach the Kite controller at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1); is kite-controller running? (--server, KITE_SERVER)');
    const unknown = fromServiceError(unavailable('No connection established. Last error: Error: getaddrinfo ENOTFOUND tls.example.com'), 'tls.example.com:7400');
    assert.match(unknown.message, /\(getaddrinfo ENOTFOUND tls\.example\.com\); is kite-controller running\?/);
  });

  it('an UNAVAILABLE the controller sent keeps its own message', () => {
    const e = fromServiceError(unavailable('etcd is unreachable: certificate of etcd expired'), 'h:1');
    assert.equal(e.message, 'etcd is unreachable: certificate of etcd expired');
  });
});
