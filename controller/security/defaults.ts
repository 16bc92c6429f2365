// Where a controller keeps its secrets on disk when not told otherwise.

/** The encryption keys for Secrets and the CA key in etcd (mode 0600; copy to every controller). */
export const DEFAULT_KEYS_FILE = '/var/lib/kite-controller/encryption-keys.json';
