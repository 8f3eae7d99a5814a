#!/usr/bin/env bash
# gpush, as the self-contained distribution starts it (bin/gpush; install/dist.sh puts this file there).
#
# Rules:
# - It runs the bundled runtime (../runtime) with the jars named in ../lib/classpath.txt, in that order, and passes
#   every argument to dev.gpush.kernel.Main. No JDK, JAVA_HOME or Maven is needed or looked at.
# - It finds its folder through any chain of symlinks, so a link from /usr/local/bin/gpush works.
# - The JVM options are the dev launcher's. JDK_JAVA_OPTIONS adds more, as for any java.
# - ../lib/gpush.aot, when there, is the JVM's AOT cache; GPUSH_AOT=0 turns it off. A JVM that cannot use it
#   (another runtime, changed jars) starts without it and says nothing.
set -euo pipefail

src=${BASH_SOURCE[0]}
while [[ -L $src ]]; do
  link=$(readlink "$src")
  [[ $link == /* ]] && src=$link || src=${src%/*}/$link
done
[[ $src == */* ]] || src=./$src
home=$(cd "${src%/*}/.." && pwd -P)

java=$home/runtime/bin/java
[[ -x $java ]] || { echo "gpush: the bundled runtime is missing ($java); unpack the distribution again" >&2; exit 3; }

classpath=
while IFS= read -r jar || [[ -n $jar ]]; do
  classpath+=${classpath:+:}$home/lib/$jar
done < "$home/lib/classpath.txt"

options=(--enable-native-access=ALL-UNNAMED -XX:+UseCompactObjectHeaders -Xss4m)
if [[ -f $home/lib/gpush.aot && ${GPUSH_AOT:-1} != 0 ]]; then
  options+=("-XX:AOTCache=$home/lib/gpush.aot" -Xlog:aot=off -Xlog:cds=off)
fi

exec "$java" "${options[@]}" -cp "$classpath" dev.gpush.kernel.Main "$@"
