#!/usr/bin/env bash
# `npm run up`: a working local cluster on this machine (etcd, controller, one agent on the local
# Docker Engine), with examples/ applied. State, logs and pids live in .kite-local/; `npm run down` stops it.
source "$(dirname "$0")/lib.sh"
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
cd "$ROOT"
kite() { node "$ROOT/dist/cli/main.js" "$@"; }
export KITE_SERVER=127.0.0.1:7400

start() { # name, command...
  local name=$1; shift
  if [ -f "$STATE/$name.pid" ] && kill -0 "$(cat "$STATE/$name.pid")" 2>/dev/null; then return; fi
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

log "starting kite-controller (gRPC 127.0.0.1:7400, HTTP 127.0.0.1:7401)"
LISTEN=127.0.0.1:7400
[ "$NODES" = 0 ] || LISTEN=0.0.0.0:7400 # agents in the test hosts dial it at the bridge address
start controller node dist/controller/main.js --etcd http://127.0.0.1:2379 --listen "$LISTEN"
for _ in $(seq 1 100); do kite version >/dev/null 2>&1 && break; sleep 0.1; done
kite version >/dev/null || die "controller did not start (log: $STATE/controller.log)"

if [ "$NODES" != 0 ]; then
  log "starting $NODES test hosts"
  node --import tsx deploy/scripts/up-hosts.ts --nodes "$NODES" --state "$STATE/hosts.json" || die "test hosts did not come up"
else
NODE="$(hostname | tr 'A-Z' 'a-z')"
log "starting kite-agent for node $NODE"
start agent node dist/node-agent/main.js --controller 127.0.0.1:7400 --name "$NODE" --data-dir "$STATE/agent"
for i in $(seq 1 100); do
  kite get nodes 2>/dev/null | grep -q " Ready" && break
  sleep 0.2
done
kite get nodes | grep -q " Ready" || die "node did not become Ready (log: $STATE/agent.log)"
fi

log "applying examples/"
kite apply -f examples/
log "waiting for the rollouts"
for d in web api front; do kite rollout status "deployment/$d" --timeout 120s; done
for _ in $(seq 1 100); do
  kite get pod web-public 2>/dev/null | grep -q Running && break
  sleep 0.3
done
echo
kite get nodes
echo
kite get deployments,pods -o wide
echo
kite get services
echo
if [ "$NODES" = 0 ]; then
  log "try: curl http://127.0.0.1:8081/cgi-bin/hello   (front end -> api by name)   curl http://127.0.0.1:8080/   npx kite logs web-public   npm run down"
else
  log "try: curl http://HOST:8081/cgi-bin/hello with any EXTERNAL-IP of service front (front end -> api by name)   npx kite get pods -o wide   npm run down"
fi
