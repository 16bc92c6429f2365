# Sourced by up.sh and down.sh (after lib.sh): `kite` on the PATH for this checkout.
# The wrapper in $KITE_BIN_DIR (default /usr/local/bin) runs this checkout's built CLI. It is
# written only where no `kite` is, or where the one there is ours (it carries the marker line), and
# removed only if it is ours and names this checkout: someone else's kite is never touched.
KITE_BIN_DIR="${KITE_BIN_DIR:-/usr/local/bin}"
KITE_WRAPPER="$KITE_BIN_DIR/kite"
KITE_WRAPPER_MARK="# kite-on-path: written by npm run up"

kite_wrapper_is_ours() { [ -f "$KITE_WRAPPER" ] && grep -qF "$KITE_WRAPPER_MARK" "$KITE_WRAPPER"; }

install_kite_on_path() {
  if [ -e "$KITE_WRAPPER" ] && ! kite_wrapper_is_ours; then
    log "$KITE_WRAPPER exists and is not Kite's wrapper: left alone (use npx kite)"
    return 0
  fi
  local node_bin tmp
  node_bin="$(command -v node)"
  tmp="$(mktemp "$KITE_BIN_DIR/.kite.XXXXXX" 2>/dev/null)" || { log "cannot write to $KITE_BIN_DIR: use npx kite"; return 0; }
  printf '#!/bin/sh\n%s of %s; npm run down removes it\nexec "%s" "%s/dist/cli/main.js" "$@"\n' \
    "$KITE_WRAPPER_MARK" "$ROOT" "$node_bin" "$ROOT" >"$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$KITE_WRAPPER"
}

remove_kite_on_path() {
  kite_wrapper_is_ours && grep -qF "$KITE_WRAPPER_MARK of $ROOT;" "$KITE_WRAPPER" && rm -f "$KITE_WRAPPER"
  return 0
}
