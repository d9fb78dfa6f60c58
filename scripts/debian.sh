# Sourced by the scripts that install test dependencies from Debian packages.

# apt_install WHAT PACKAGE…: installs the packages, or says how to when not root (then exits 1).
apt_install() {
  local what=$1
  shift
  log "$what is not installed; installing the Debian packages $* (needs root and the Debian mirror)"
  if [ "$(id -u)" != 0 ]; then
    log "not root: install them yourself with 'apt-get install -y $*' and run this again"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
}
