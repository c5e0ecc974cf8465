#!/usr/bin/env bash
# ONLY FOR A MACHINE WITHOUT AN IMAGE REGISTRY. Online, the Dockerfile starts from the official
# python:3.11.11-slim-bookworm and compose.yaml runs the official postgres:15: skip this script.
#
# Builds, from Debian's package mirror alone, the two images the stack needs:
#   pledges-python-local:3.11  Debian 12 (debootstrap, minbase) + this machine's own CPython
#                              (>= 3.11.5: Debian 12's 3.11.2 is too old for soupsieve 4.x),
#                              laid out like the official image (/usr/local/bin/python3), with pip
#   pledges-postgres-local:15  Debian 12 + Debian's postgresql-15, with an entrypoint that honours
#                              the official image's POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB
# Needs root, debootstrap and a running dockerd. About 3-4 minutes on 2 cores.
#
#   deploy/docker/local-base-image.sh [PYTHON_PREFIX]   (default /root/.pyenv/versions/3.11.7)
set -euo pipefail

PYTHON_PREFIX=${1:-/root/.pyenv/versions/3.11.7}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
IMAGES=${IMAGES:-python postgres}  # IMAGES=postgres deploy/docker/local-base-image.sh: that one only
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /var/tmp/pledges-rootfs.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

PY_VERSION=$("$PYTHON_PREFIX/bin/python3" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
"$PYTHON_PREFIX/bin/python3" -c 'import sys; assert sys.version_info[:3] >= (3, 11, 5) and sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "need a CPython 3.11.5+ build (got $PY_VERSION at $PYTHON_PREFIX)" >&2; exit 1; }

# The shared libraries the interpreter's extension modules link (ldd lib-dynload/*.so), minus Tk.
PYTHON_LIBS=libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,libexpat1,libreadline8,libncursesw6,libuuid1,libtirpc3,libnsl2,libcrypt1,ca-certificates,tzdata,netbase

bootstrap() {  # bootstrap TARGET EXTRA_PACKAGES
  debootstrap --variant=minbase --include="$2" "$SUITE" "$1" "$MIRROR" >"$1.log" 2>&1 \
    || { tail -20 "$1.log" >&2; exit 1; }
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*
}

import_rootfs() {  # import_rootfs ROOTFS TAG CHANGE...
  local rootfs=$1 tag=$2; shift 2
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  tar --numeric-owner -C "$rootfs" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  echo "built $tag"
}

# --- python ---------------------------------------------------------------------------------
if [[ " $IMAGES " == *" python "* ]]; then
bootstrap "$WORK/python" "$PYTHON_LIBS"
# The standard library only: no site-packages (pip comes from ensurepip below), tests or Tk.
tar -C "$PYTHON_PREFIX" -c --exclude='lib/python3.11/site-packages/*' --exclude='lib/python3.11/test' \
    --exclude='lib/python3.11/idlelib' --exclude='lib/python3.11/tkinter' --exclude='lib/python3.11/turtledemo' \
    --exclude='*/__pycache__' --exclude='lib-dynload/_tkinter*' \
    bin/python3.11 lib/libpython3.11.so.1.0 lib/libpython3.11.so lib/python3.11 include/python3.11 \
  | tar -C "$WORK/python/usr/local" -x --no-same-owner
chmod -R a+rX "$WORK/python/usr/local"
ln -sf python3.11 "$WORK/python/usr/local/bin/python3"
ln -sf python3 "$WORK/python/usr/local/bin/python"
chroot "$WORK/python" /sbin/ldconfig
chroot "$WORK/python" /usr/local/bin/python3 -m ensurepip --default-pip >/dev/null
chroot "$WORK/python" /usr/local/bin/python3 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, pyexpat, uuid, readline'
import_rootfs "$WORK/python" pledges-python-local:3.11 \
  'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' 'CMD ["python3"]'
docker tag pledges-python-local:3.11 "pledges-python-local:$PY_VERSION"
fi

# --- postgres -------------------------------------------------------------------------------
if [[ " $IMAGES " == *" postgres "* ]]; then
bootstrap "$WORK/postgres" postgresql-15,tzdata,netbase
install -m 0755 "$HERE/postgres-local-entrypoint.sh" "$WORK/postgres/usr/local/bin/docker-entrypoint.sh"
# The cluster Debian's postinst made is not used: the entrypoint makes one in PGDATA (a volume).
rm -rf "$WORK/postgres/var/lib/postgresql/15" "$WORK/postgres/etc/postgresql/15"
import_rootfs "$WORK/postgres" pledges-postgres-local:15 \
  'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' \
  'ENV PGDATA=/var/lib/postgresql/data' 'EXPOSE 5432' \
  'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'CMD ["postgres"]'
fi
