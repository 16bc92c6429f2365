# Shared helpers for up.sh, down.sh and test.sh. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${KITE_LOCAL_DIR:-$ROOT/.kite-local}"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs Debian's etcd, Docker Engine, busybox-static, Prometheus (and the tools the tests and
# benches use: iproute2, iptables, conntrack, wrk, ...) when any is missing.
ensure_packages() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v dockerd >/dev/null || missing+=(docker.io)
  # grep reads the whole list (no -q): an early exit would SIGPIPE busybox and fail the pipeline under pipefail.
  [ -x /usr/bin/busybox ] && /usr/bin/busybox --list 2>/dev/null | grep -x httpd >/dev/null || missing+=(busybox-static)
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v curl >/dev/null || missing+=(curl)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v nsenter >/dev/null || missing+=(util-linux)
  command -v script >/dev/null || missing+=(bsdutils)
  command -v wrk >/dev/null || missing+=(wrk)
  if ((${#missing[@]})); then
    [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: run as root (or install them) first"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts services on install when it can; we run our own instances instead.
    pkill -x prometheus 2>/dev/null || true
  fi
}

ensure_node_modules() {
  cd "$ROOT"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund >/dev/null
  fi
  if [ ! -f dist/cli/main.js ] || [ -n "$(find cli common controller node-agent proto -newer dist/cli/main.js -name '*.ts' -o -newer dist/cli/main.js -name '*.proto' 2>/dev/null | head -1)" ]; then
    log "building"
    npm run build --silent >/dev/null
  fi
}

docker_ok() { DOCKER_API_VERSION=1.41 docker -H "unix://${DOCKER_SOCK:-/var/run/docker.sock}" info >/dev/null 2>&1; }

# Starts dockerd when nothing answers on the socket; records its pid so we stop only our own.
ensure_dockerd() {
  if docker_ok; then return; fi
  mkdir -p "$STATE"
  log "starting dockerd"
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nohup dockerd --host "unix:///var/run/docker.sock" --pidfile "$STATE/dockerd.pid" \
    >"$STATE/dockerd.log" 2>&1 &
  echo "started" >"$STATE/dockerd.ours"
  for _ in $(seq 1 100); do docker_ok && return; sleep 0.2; done
  tail -20 "$STATE/dockerd.log" >&2
  die "dockerd did not come up (log: $STATE/dockerd.log)"
}

# kite/busybox:latest from Debian's busybox-static: no registry is needed.
ensure_base_image() {
  export DOCKER_API_VERSION=1.41
  if docker image inspect kite/busybox:latest >/dev/null 2>&1; then return; fi
  log "building base image kite/busybox:latest from /usr/bin/busybox"
  local dir; dir="$(mktemp -d)"
  mkdir -p "$dir/root/bin" "$dir/root/tmp" "$dir/root/etc" "$dir/root/www"
  cp /usr/bin/busybox "$dir/root/bin/busybox"
  for a in $(/usr/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$dir/root/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$dir/root/etc/passwd"
  echo 'root:x:0:' >"$dir/root/etc/group"
  tar -C "$dir/root" -cf "$dir/rootfs.tar" .
  docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' "$dir/rootfs.tar" kite/busybox:latest >/dev/null
  rm -rf "$dir"
}

etcd_ok() { curl -fsS "http://127.0.0.1:${1:-2379}/health" >/dev/null 2>&1; }
