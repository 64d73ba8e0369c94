#!/usr/bin/env bash
# The file system of the hub's image beside its application: a Java runtime cut to the modules
# SortHub uses (jlink), the shared libraries it loads, and the few files a process expects
# (a user, name resolution, /tmp). Usage: build-runtime.sh JAVA_HOME OUT "JVM FLAGS"
set -euo pipefail
java_home=$1
out=$2
flags=$3
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
# This module has no code of its own; Jib still reads its (empty) class folder.
mkdir -p "$(dirname "$out")/classes"
mkdir -p "$out/opt" "$out/opt/sorthub" "$out/var/lib/sorthub" "$out/tmp"
# The modules `jdeps --print-module-deps` finds in hub-service.jar, and TLS with EC keys.
"$java_home/bin/jlink" --add-modules java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,\
java.security.jgss,java.security.sasl,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"

# The C libraries the runtime links to, from this machine (the image has no distribution under
# it). AWT's libraries are left out with their X11 dependencies: nothing here draws.
libs=$(find "$out/opt/java/bin/java" "$out/opt/java/lib" -type f \( -name java -o -name '*.so' \) \
  ! -name '*awt*' ! -name 'libfontmanager*' ! -name 'libjsound*' ! -name 'libsplashscreen*' \
  ! -name 'liblcms*' ! -name 'libjavajpeg*' ! -name 'libmlib_image*' \
  -exec ldd {} \; | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
for lib in $libs; do
  case "$lib" in "$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
cp -a "$here/root/." "$out/"

# One flag per line: java reads them as an argument file (@/opt/sorthub/jvm.options).
printf '%s\n' $flags > "$out/opt/sorthub/jvm.options"
