// Who is calling: the identity in the client certificate the TLS handshake verified against the
// cluster CA. gRPC reports no peer certificate when there was none or it did not verify (another
// CA, expired), so both are refused alike.
import { unauthenticated } from '../../common/errors';
import { identityOfPeer, type Identity, type PeerCall } from '../../common/pki/identity';

export type { PeerCall };
import { ADMIN_USER } from './users';


export type IdentifyCaller = (call: PeerCall) => Identity;

const NO_CERTIFICATE =
  'no valid client certificate: this controller requires one signed by the cluster CA (none was presented, or it expired or comes from another cluster); use the credential `npm run up` wrote to ~/.kite/config or one from `kite user create`';

/** The caller's identity, or Unauthenticated. */
export function identifyByCertificate(call: PeerCall): Identity {
  const identity = identityOfPeer(call.getAuthContext()?.sslPeerCertificate);
  if (!identity) throw unauthenticated(NO_CERTIFICATE);
  return identity;
}

/** The benchmarks' plaintext baseline has no certificates: every caller acts as the admin. */
export function identifyAsAdmin(): Identity {
  return { kind: 'user', name: ADMIN_USER };
}
