#!/usr/bin/env bash
# `npm run down`: stops what `npm run up` started (by pid), and removes the pods' containers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kite-on-path.sh"
stop() {
  local f="$STATE/$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
# Test hosts from `npm run up -- --nodes N` (netns, dockerd, agents, bridge): see up-hosts.ts.
[ -f "$STATE/hosts.json" ] && (cd "$ROOT" && node --import tsx deploy/scripts/up-hosts.ts --down "$STATE/hosts.json")
stop agent
stop controller
if docker_ok; then
  ids="$(DOCKER_API_VERSION=1.41 docker ps -aq --filter label=kite.pod.uid)"
  [ -z "$ids" ] || DOCKER_API_VERSION=1.41 docker rm -f $ids >/dev/null
fi
# The pod network the agent built on this host (kite bridge, routes, KITE-* iptables chains).
[ -f "$ROOT/dist/node-agent/main.js" ] && node "$ROOT/dist/node-agent/main.js" --cleanup --log-level warn || true
stop etcd
if [ -f "$STATE/dockerd.ours" ]; then
  stop dockerd
  rm -f "$STATE/dockerd.ours"
fi
remove_kite_on_path
echo "Kite stopped. Data is kept in $STATE (delete it for a clean start)."
