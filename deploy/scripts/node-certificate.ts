// Whether an agent's saved certificate lets it start again without a join token, so that a second
// `npm run up` creates no token it does not need. Exit 0 when the certificate in PKI_DIR names the
// node, is signed by the CA saved next to it, that CA is the one in the admin's credential (the same
// cluster), and it is valid for a few more minutes; else exit 1 with the reason on stderr.
//   node --import tsx deploy/scripts/node-certificate.ts PKI_DIR NODE_NAME ADMIN_CONFIG
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readClientConfig } from '../../common/client-config';
import { errorMessage } from '../../common/errors';
import { certificateFacts, signedBy } from '../../common/pki/certs';

/** Less than this left, and the agent would have to rejoin right away: join now with a token. */
const MARGIN_MS = 5 * 60_000;

function problem(pkiDir: string, node: string, adminConfig: string): string | undefined {
  const read = (f: string) => (fs.existsSync(path.join(pkiDir, f)) ? fs.readFileSync(path.join(pkiDir, f), 'utf8') : undefined);
  const ca = read('ca.crt');
  const cert = read('node.crt');
  if (!ca || !cert || !read('node.key')) return `no certificate in ${pkiDir}`;
  if (readClientConfig(adminConfig).ca !== ca) return `the certificate in ${pkiDir} is from another cluster`;
  const facts = certificateFacts(cert);
  if (facts.identity?.kind !== 'node' || facts.identity.name !== node) return `the certificate in ${pkiDir} is not node ${node}'s`;
  if (!signedBy(cert, ca)) return `the certificate in ${pkiDir} is not signed by its CA`;
  if (facts.notAfter.getTime() - Date.now() < MARGIN_MS) return `the certificate in ${pkiDir} has expired or is about to`;
  return undefined;
}

const [pkiDir, node, adminConfig] = process.argv.slice(2);
if (!pkiDir || !node || !adminConfig) {
  process.stderr.write('usage: node-certificate.ts PKI_DIR NODE_NAME ADMIN_CONFIG\n');
  process.exit(2);
}
let why: string | undefined;
try {
  why = problem(pkiDir, node, adminConfig);
} catch (e) {
  why = `unreadable certificate in ${pkiDir}: ${errorMessage(e)}`;
}
if (why) process.stderr.write(`${why}\n`);
process.exit(why ? 1 : 0);
