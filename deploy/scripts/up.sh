#!/usr/bin/env bash
# `npm run up`: a working local cluster on this machine (etcd, controller, one agent on the local
# Docker Engine), with examples/ applied. State, logs and pids live in .kite-local/; `npm run down` stops it.
# Secure with no extra steps: the controller keeps its encryption keys in .kite-local/ and writes the
# admin's credential to ~/.kite/config (as k3s writes its kubeconfig), so `npx kite` works with no
# flags; agents join with a short-lived token this script creates, hands over in their environment
# (never on a command line or in a log) and deletes once they have their certificates.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kite-on-path.sh"
NODES=0 # --nodes N: N local test hosts (netns + own dockerd + agent) instead of one local agent
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="${2:-}"; shift 2 || die "--nodes needs a number" ;;
    --nodes=*) NODES="${1#*=}"; shift ;;
    *) die "unknown option: $1 (usage: npm run up [-- --nodes N])" ;;
  esac
done
ensure_packages
ensure_node_modules
mkdir -p "$STATE"
chmod 700 "$STATE" # it holds the keys file, etcd's data and the agent's key
cd "$ROOT"
kite() { node "$ROOT/dist/cli/main.js" "$@"; }
export KITE_SERVER=127.0.0.1:7400
# Where the CLI looks for its credential (KITE_CONFIG, else ~/.kite/config): the controller writes it there.
ADMIN_CONFIG="${KITE_CONFIG:-$HOME/.kite/config}"
export KITE_CONFIG="$ADMIN_CONFIG"

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

start() { # name, command...
  local name=$1; shift
  if running "$name"; then return; fi
  nohup "$@" >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

if ! etcd_ok 2379; then
  log "starting etcd on 127.0.0.1:2379"
  start etcd etcd --name kite-local --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster kite-local=http://127.0.0.1:2380
  for _ in $(seq 1 100); do etcd_ok 2379 && break; sleep 0.1; done
  etcd_ok 2379 || die "etcd did not start (log: $STATE/etcd.log)"
fi

ensure_dockerd
ensure_base_image
if ! docker image inspect kite-example/web:1 >/dev/null 2>&1; then
  log "building example image kite-example/web:1"
  docker build -q -t kite-example/web:1 examples/images/web >/dev/null
fi

LISTEN=127.0.0.1:7400
[ "$NODES" = 0 ] || LISTEN=0.0.0.0:7400 # agents in the test hosts dial it at the bridge address
controller_was_running=false
if running controller; then controller_was_running=true; else log "starting kite-controller (gRPC 127.0.0.1:7400, HTTP 127.0.0.1:7401)"; fi
# The controller rewrites the admin credential at start only when it is missing or stale (another
# CA, another address, less than a third of its life left), so a second run leaves a good one alone.
start controller node dist/controller/main.js --etcd http://127.0.0.1:2379 --listen "$LISTEN" \
  --keys-file "$STATE/encryption-keys.json" --admin-config "$ADMIN_CONFIG"
for _ in $(seq 1 300); do kite version >/dev/null 2>&1 && break; sleep 0.1; done
if ! kite version >/dev/null; then
  $controller_was_running && die "the running controller does not accept the credential in $ADMIN_CONFIG (it writes it at start: npm run down, then npm run up)"
  die "controller did not start (log: $STATE/controller.log)"
fi

# A join token for this run's agents (1 h), in shell variables only: the agent gets it in its
# environment, which only its user can read, not on its command line, which `ps` shows anyone.
JOIN_TOKEN=
JOIN_CA_HASH=
create_join_token() {
  local out
  out="$(kite token create --ttl 1h --description "npm run up")" || die "could not create a join token"
  JOIN_TOKEN="$(printf '%s\n' "$out" | sed -n 1p)"
  JOIN_CA_HASH="$(printf '%s\n' "$out" | grep -o 'sha256:[0-9a-f]\{64\}' | head -1)"
  [ -n "$JOIN_TOKEN" ] && [ -n "$JOIN_CA_HASH" ] || die "kite token create printed no token and CA hash"
}
# Once the agents hold certificates the token has no use left: delete it rather than let it wait for expiry.
delete_join_token() {
  [ -z "$JOIN_TOKEN" ] || kite token delete "${JOIN_TOKEN%%.*}" >/dev/null || log "could not delete the join token (it expires within the hour)"
  JOIN_TOKEN=
}

if [ "$NODES" != 0 ]; then
  if [ -f "$STATE/hosts.json" ]; then
    log "test hosts are already up ($STATE/hosts.json)"
  else
    log "starting $NODES test hosts"
    # The hosts' agents run the built dist/ and join with a token up-hosts.ts creates and deletes.
    KITE_RUN_DIST=1 node --import tsx deploy/scripts/up-hosts.ts --nodes "$NODES" --state "$STATE/hosts.json" \
      --admin-config "$ADMIN_CONFIG" || die "test hosts did not come up"
  fi
else
NODE="$(hostname | tr 'A-Z' 'a-z')"
if ! running agent; then
  # Secret volumes go to the agent's default /run/kite-agent/secrets, a tmpfs it mounts (as root);
  # `npm run down` unmounts it with `kite-agent --cleanup`.
  if node --import tsx deploy/scripts/node-certificate.ts "$STATE/agent/pki" "$NODE" "$ADMIN_CONFIG" 2>/dev/null; then
    log "starting kite-agent for node $NODE (its certificate is in $STATE/agent/pki)"
  else
    log "starting kite-agent for node $NODE (joining with a new token)"
    create_join_token
  fi
  (
    [ -z "$JOIN_TOKEN" ] || export KITE_TOKEN="$JOIN_TOKEN" KITE_CA_HASH="$JOIN_CA_HASH"
    start agent node dist/node-agent/main.js --controller 127.0.0.1:7400 --name "$NODE" --data-dir "$STATE/agent"
  )
fi
for i in $(seq 1 100); do
  kite get nodes 2>/dev/null | grep -q " Ready" && break
  sleep 0.2
done
kite get nodes | grep -q " Ready" || die "node did not become Ready (log: $STATE/agent.log)"
delete_join_token
fi

log "applying examples/"
kite apply -f examples/
log "waiting for the rollouts"
for d in web api front; do kite rollout status "deployment/$d" --timeout 120s; done
kite rollout status statefulset/counter --timeout 120s
for _ in $(seq 1 100); do
  kite get pod web-public 2>/dev/null | grep -q Running && break
  sleep 0.3
done
echo
kite get nodes
echo
kite get deployments,statefulsets,pods -o wide
echo
kite get pvc,cronjobs
echo
kite get services
echo
install_kite_on_path
log "the CLI uses the admin credential in $ADMIN_CONFIG (kite auth whoami)"
# kubectl gets its own file with the admin's certificate, next to the cluster's state: never
# ~/.kube/config (kite kubeconfig -o replaces only a file it wrote itself).
if kite kubeconfig -o "$STATE/kubeconfig" >/dev/null; then
  log "kubectl (as the admin): export KUBECONFIG=$STATE/kubeconfig   then: kubectl get pods -A   kubectl top nodes"
else
  log "could not write $STATE/kubeconfig (see above); kubectl needs a kubeconfig from kite kubeconfig -o FILE"
fi
log "more hosts: see deploy/README.md (kite token create prints the kite-agent command to run there)"
if [ "$NODES" = 0 ]; then
  log "try: curl http://127.0.0.1:8081/cgi-bin/hello   (front end -> api by name)   curl http://127.0.0.1:8080/   kite logs web-public   npm run down"
else
  log "try: curl http://HOST:8081/cgi-bin/hello with any EXTERNAL-IP of service front (front end -> api by name)   kite get pods -o wide   npm run down"
fi
