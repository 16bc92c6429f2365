// `kite-controller secrets rotate-key`: re-encrypts every sealed value in etcd under a new key.
import { Command } from 'commander';
import { Etcd3 } from 'etcd3';
import * as fs from 'node:fs';
import { createLogger } from '../common/log';
import { envOption } from '../common/flags';
import { errorMessage } from '../common/errors';
import { KITE_VERSION } from '../common/version';
import { KeyLayout } from './store/keys';
import { KeyRing } from './security/keyring';
import { rotateSecretKeys } from './security/rotate-keys';
import { DEFAULT_KEYS_FILE } from './security/defaults';

export function runSecretsCommand(argv: string[]): void {
  const program = new Command('kite-controller secrets').description('maintenance of Secrets at rest').version(KITE_VERSION);
  program
    .command('rotate-key')
    .description('add a new primary encryption key and re-encrypt every Secret (and the CA key) under it; safe to run again after a crash: it resumes')
    .addOption(envOption('--etcd <urls>', 'etcd endpoints, comma separated', 'KITE_ETCD', 'http://127.0.0.1:2379'))
    .addOption(envOption('--etcd-prefix <prefix>', 'key prefix for everything Kite stores', 'KITE_ETCD_PREFIX', '/kite'))
    .addOption(envOption('--keys-file <path>', "the controllers' encryption keys file", 'KITE_KEYS_FILE', DEFAULT_KEYS_FILE))
    .addOption(envOption('--etcd-cafile <path>', "CA certificate to verify etcd's serving certificate", 'KITE_ETCD_CAFILE'))
    .addOption(envOption('--etcd-certfile <path>', 'client certificate for etcd', 'KITE_ETCD_CERTFILE'))
    .addOption(envOption('--etcd-keyfile <path>', 'client key for etcd', 'KITE_ETCD_KEYFILE'))
    .addOption(envOption('--log-level <level>', 'trace, debug, info, warn or error', 'KITE_LOG_LEVEL', 'info'))
    .action(async (o: { etcd: string; etcdPrefix: string; keysFile: string; etcdCafile?: string; etcdCertfile?: string; etcdKeyfile?: string; logLevel: string }) => {
      const log = createLogger({ level: o.logLevel, name: 'kite-controller' }).child({ component: 'rotate-key' });
      if (!fs.existsSync(o.keysFile)) {
        process.stderr.write(`error: ${o.keysFile} does not exist: rotate-key needs the controllers' keys file (--keys-file)\n`);
        process.exit(1);
      }
      const client = new Etcd3({
        hosts: o.etcd.split(',').map((h) => h.trim()).filter(Boolean),
        dialTimeout: 3000,
        ...(o.etcdCafile
          ? { credentials: { rootCertificate: fs.readFileSync(o.etcdCafile), ...(o.etcdCertfile && o.etcdKeyfile ? { certChain: fs.readFileSync(o.etcdCertfile), privateKey: fs.readFileSync(o.etcdKeyfile) } : {}) } }
          : {}),
      });
      try {
        const keyring = KeyRing.loadOrCreate(o.keysFile);
        const report = await rotateSecretKeys({
          client,
          keys: new KeyLayout(o.etcdPrefix),
          keyring,
          log,
          onProgress: (r) => {
            if (r.reencrypted % 500 === 0) process.stderr.write(`  ${r.scanned} values scanned, ${r.reencrypted} re-encrypted\n`);
          },
        });
        process.stdout.write(
          `primary key is now ${report.keyId}${report.resumed ? ' (resumed an interrupted rotation)' : ''}: ${report.reencrypted} value(s) re-encrypted, ${report.alreadyCurrent} already current, ${report.scanned} scanned\n` +
            `copy ${o.keysFile} to every other controller (it keeps the old keys, so values they wrote meanwhile stay readable)\n`,
        );
      } catch (e) {
        process.stderr.write(`error: ${errorMessage(e)}\n`);
        process.exitCode = 1;
      } finally {
        client.close();
      }
    });
  program.parse(argv, { from: 'user' });
}
