#!/usr/bin/env bash
# The image's base where no registry is reachable: Debian bookworm (minbase) with python3 and python3-venv,
# made with debootstrap from a Debian mirror and imported into podman's store. Does nothing if the image is
# already there. Usage: deploy/image/make-base.sh IMAGE MIRROR   (root: debootstrap makes device nodes)
set -euo pipefail
image="$1"
mirror="$2"
if podman image exists "$image"; then
  echo "base image $image already present"
  exit 0
fi
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/briefing-base.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$rootfs" "$mirror"
# apt's package lists and downloaded archives are not needed in an image that installs nothing with apt.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | podman import --change 'CMD ["/usr/bin/python3"]' - "$image"
echo "base image $image made from $mirror"
