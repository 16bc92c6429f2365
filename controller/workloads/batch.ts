// Many writes, fast but bounded. Creates go in "slow start" batches (8, 16, 32, ... like
// Kubernetes, so a template that always fails costs one small batch, not thousands); deletes run
// with a bounded number of requests in flight.

/** Requests in flight at once: etcd is fastest at 64-256 concurrent requests. */
export const WRITE_CONCURRENCY = 64;
export const INITIAL_BATCH = 8;
