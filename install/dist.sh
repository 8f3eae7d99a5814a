#!/usr/bin/env bash
# Builds the self-contained distribution: target/dist/gpush-VERSION-linux-x86_64.tar.gz
#
#   install/dist.sh [--no-build] [--no-aot] [--out DIR]
#
# The tarball holds one folder, gpush-VERSION/, with:
#   bin/gpush        the launcher (install/launcher.sh): the bundled runtime, the jars, dev.gpush.kernel.Main
#   runtime/         a jlink image of the JDK: the modules jdeps finds in the jars, plus JShell and the compiler
#   lib/             the jars, and lib/classpath.txt naming them in class path order
#   lib/gpush.aot    the JVM's AOT cache from a training run (left out by --no-aot)
#   README.md, NOTICE.md
#
# Rules:
# - The JDK is $JAVA_HOME, else `java` on the PATH, else the newest under /usr/lib/jvm/* /usr/java/* /opt/java/*
#   /opt/jdk*, as the dev launcher looks; it must be 25 or newer and have jlink. Its modules become runtime/.
# - Without --no-build the script runs `mvn -B -q -DskipTests package` from the repository root first. With it, it
#   takes what a build left: kernel/target/classes and kernel/target/classpath.txt. A class path entry that is a
#   folder (a sibling module's target/classes, as `mvn test` leaves them) is packed into a jar here.
# - The runtime archives the JDK's classes for compact object headers (classes_coh.jsa), because the launcher
#   runs with -XX:+UseCompactObjectHeaders and jlink's own --generate-cds-archive makes only the plain archive.
# - The AOT cache is trained with the bundled runtime on the class path the launcher uses; a JVM that finds it
#   unusable runs without it.
set -euo pipefail

readonly MIN_JAVA=25
# Modules jdeps cannot see: JShell compiles (jdk.compiler), charts need AWT headless, and code in a cell may reach
# for any of these. jdeps adds what the jars themselves use.
readonly EXTRA_MODULES=jdk.jshell,jdk.compiler,java.desktop,java.management,jdk.management,java.logging,java.naming,java.net.http,jdk.zipfs,jdk.unsupported
readonly JVM_OPTIONS=(--enable-native-access=ALL-UNNAMED -XX:+UseCompactObjectHeaders -Xss4m)

build=1 aot=1 out=
while (( $# )); do
  case $1 in
    --no-build) build=0 ;;
    --no-aot) aot=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    *) echo "usage: install/dist.sh [--no-build] [--no-aot] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
out=${out:-$root/target/dist}
say() { echo "dist: $*" >&2; }
fail() { echo "dist: $*" >&2; exit 1; }

# --- the JDK ------------------------------------------------------------------------------------------------------

# The major version in a JDK's release file, or nothing.
major_of() {
  local line version=
  [[ -f $1/release && -x $1/bin/jlink ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in JAVA_VERSION=*) version=${line#JAVA_VERSION=}; version=${version//\"/} ;; esac
  done < "$1/release"
  version=${version%%[!0-9]*}
  echo "$version"
}

find_jdk() {
  local candidates=() dir java best=0 major
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  if java=$(command -v java) && java=$(readlink -f "$java"); then candidates+=("${java%/bin/java}"); fi
  for dir in "${candidates[@]}"; do
    major=$(major_of "$dir")
    [[ -n $major ]] && (( major >= MIN_JAVA )) && { echo "$dir"; return; }
  done
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk*; do
    major=$(major_of "$dir")
    [[ -n $major ]] && (( major >= MIN_JAVA && major > best )) && { best=$major; java=$dir; }
  done
  (( best > 0 )) && echo "$java"
}

jdk=$(find_jdk) || fail "no JDK $MIN_JAVA or newer with jlink found: set JAVA_HOME to one"
say "JDK $jdk"

# --- the build ----------------------------------------------------------------------------------------------------

target=$root/kernel/target
if (( build )); then
  command -v mvn >/dev/null || fail "Maven (mvn) is needed to build gpush: apt install maven, or pass --no-build"
  say "building (mvn package)"
  (cd "$root" && JAVA_HOME=$jdk mvn -B -q -DskipTests package) || fail "the Maven build failed"
fi
[[ -d $target/classes && -f $target/classpath.txt ]] || fail "not built: $target/classes or classpath.txt is missing"
version=$(sed -n 's/^version=//p' "$target/classes/dev/gpush/kernel/version.properties")
[[ -n $version && $version != *\$\{* ]] || fail "no version in kernel/target/classes (was it built by Maven?)"

name=gpush-$version
stage=$out/$name
rm -rf "$stage" "$out/$name-linux-x86_64.tar.gz"
mkdir -p "$stage/bin" "$stage/lib"

# --- lib/: the jars in class path order -----------------------------------------------------------------------------

# Copies a class path entry into lib/ (packing a classes folder into a jar) and prints the jar's name.
add_to_lib() {
  local entry=$1 jar
  if [[ -d $entry ]]; then
    # .../MODULE/target/classes -> MODULE-VERSION.jar
    jar=$(basename "$(dirname "$(dirname "$entry")")")-$version.jar
    "$jdk/bin/jar" --create --file "$stage/lib/$jar" -C "$entry" .
  elif [[ -f $entry ]]; then
    jar=$(basename "$entry")
    cp "$entry" "$stage/lib/$jar"
  else
    fail "a class path entry is missing: $entry"
  fi
  echo "$jar"
}

IFS=: read -r -a entries < "$target/classpath.txt" || true   # the file has no final newline
{
  add_to_lib "$target/classes"
  for entry in "${entries[@]}"; do add_to_lib "$entry"; done
} > "$stage/lib/classpath.txt"

# --- runtime/: jlink ------------------------------------------------------------------------------------------------

jars=()
while IFS= read -r jar; do jars+=("$stage/lib/$jar"); done < "$stage/lib/classpath.txt"
found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$MIN_JAVA" -q "${jars[@]}" 2>/dev/null) \
  || fail "jdeps could not read the jars"
modules=$found,$EXTRA_MODULES
say "jlink $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$stage/runtime" >/dev/null
"$stage/runtime/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump -Xlog:cds=off >/dev/null \
  || fail "the runtime could not archive its classes"

# --- bin/, the notices ------------------------------------------------------------------------------------------------

cp "$root/install/launcher.sh" "$stage/bin/gpush"
chmod 755 "$stage/bin/gpush"
cp "$root/install/DIST-README.md" "$stage/README.md"
cp "$root/install/NOTICE.md" "$stage/NOTICE.md"

# The licences a POM names, following its parents; $1 is a jar in a Maven repository (a path with /repository/).
licences_of() {
  local repo=${1%%/repository/*}/repository pom xml names
  pom=$(dirname "$1")/$(basename "$(dirname "$(dirname "$1")")")-$(basename "$(dirname "$1")").pom
  for _ in 1 2 3 4; do
    [[ -f $pom ]] || break
    xml=$(tr -d '\n\r' < "$pom")
    names=$(grep -o '<licenses>.*</licenses>' <<< "$xml" | grep -o '<name>[^<]*</name>' | sed 's/<[^>]*>//g' \
      | paste -sd ';' | sed 's/;/; /g' || true)
    [[ -n $names ]] && { echo "$names"; return; }
    [[ $xml =~ \<parent\>[[:space:]]*\<groupId\>([^<]*)\</groupId\>[[:space:]]*\<artifactId\>([^<]*)\</artifactId\>[[:space:]]*\<version\>([^<]*)\< ]] \
      || break
    pom=$repo/${BASH_REMATCH[1]//.//}/${BASH_REMATCH[2]}/${BASH_REMATCH[3]}/${BASH_REMATCH[2]}-${BASH_REMATCH[3]}.pom
  done
  echo "see the jar's META-INF"
}

{
  echo
  echo "## Every jar in lib/"
  echo
  echo "| jar | licence, as its Maven POM states it |"
  echo "| --- | --- |"
  for entry in "${entries[@]}"; do
    [[ -f $entry ]] && echo "| $(basename "$entry") | $(licences_of "$entry") |"
  done
} >> "$stage/NOTICE.md"

# --- lib/gpush.aot: the AOT cache -----------------------------------------------------------------------------------

if (( aot )); then
  say "training the AOT cache"
  classpath=$(sed "s|^|$stage/lib/|" "$stage/lib/classpath.txt" | paste -sd:)
  # Typical first cells: tensors, autograd, printing. What they load and link is what the cache keeps.
  training='var x = Tensor.randn(64, 32).requiresGrad(true);
var y = x.matmul(Tensor.randn(32, 8)).relu().sum();
y.backward();
System.out.println(x.grad().shape());
Tensor.ones(2).sum()'
  # the JVM hands the cache's assembly to a second JVM, which reports its options on stderr: keep that in a log
  log=$out/aot-training.log
  if ! (cd "$stage" && ./runtime/bin/java "${JVM_OPTIONS[@]}" -XX:AOTCacheOutput=lib/gpush.aot \
      -Xlog:aot=error,cds=error -cp "$classpath" dev.gpush.kernel.Main -c "$training") > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "the AOT training run failed; its output is in $log"
  fi
fi

# --- the tarball ------------------------------------------------------------------------------------------------------

tarball=$out/$name-linux-x86_64.tar.gz
tar -C "$out" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
say "$(du -h "$tarball" | cut -f1) $tarball"
echo "$tarball"
