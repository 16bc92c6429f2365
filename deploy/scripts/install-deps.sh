#!/usr/bin/env bash
# Installs what Kite needs on a Debian machine: etcd, Docker Engine, busybox-static, Prometheus, npm packages.
source "$(dirname "$0")/lib.sh"
ensure_packages
ensure_node_modules
